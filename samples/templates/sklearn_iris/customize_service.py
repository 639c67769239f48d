# coding:utf-8
# Inference code of the sklearn_iris sample, written as in the ModelArts docs (4.3.7 Scikit Learn).
# Request:  {"data": {"req_data": [{"sepal_length": 5.1, "sepal_width": 3.5,
#                                   "petal_length": 1.4, "petal_width": 0.2}, ...]}}
# Result:   [{"predictresult": "setosa"}, ...]  (the runtime wraps it as {"data": {"resp_data": ...}})
# Keys of each record must come in the order above: their values become the feature vector.
import collections
import json
from sklearn.externals import joblib
from model_service.python_model_service import XgSkServingBaseService


class UserService(XgSkServingBaseService):

    # request data preprocess
    def _preprocess(self, data):
        list_data = []
        json_data = json.loads(data, object_pairs_hook=collections.OrderedDict)
        for element in json_data["data"]["req_data"]:
            array = []
            for each in element:
                array.append(element[each])
            list_data.append(array)
        return list_data

    # predict
    def _inference(self, data):
        sk_model = joblib.load(self.model_path)
        pre_result = sk_model.predict(data)
        pre_result = pre_result.tolist()
        return pre_result

    # predict result process
    def _postprocess(self, data):
        resp_data = []
        for element in data:
            resp_data.append({"predictresult": element})
        return resp_data
