"""Infera's re-implementation of the ModelArts ``model_service`` runtime package.

User packages written for ModelArts import their engine base class from here
(``model_service.pytorch_model_service.PTServingBaseService`` and friends) and must run
unchanged; see /work/shared/spec/model-service.md for the behaviour being reproduced.
"""
