# coding:utf-8
# Inference code of the pytorch_digits sample, written as in the ModelArts docs (4.3.3 PyTorch).
# Request:  multipart/form-data, one or more files in the field "images" (any image PIL reads;
#           it is converted to grayscale and resized to 28x28; white digit on black, like MNIST).
# Response: one entry per uploaded file, in upload order, e.g. [{"images": 7}, {"images": 3}].
#           With a single file this is exactly the docs' shape: [{"images": 7}].
from PIL import Image
import log
from model_service.pytorch_model_service import PTServingBaseService
import torch.nn.functional as F

import torch.nn as nn
import torch
import json

import numpy as np

logger = log.getLogger(__name__)

import torchvision.transforms as transforms

# model preprocessing
infer_transformation = transforms.Compose([
    transforms.Resize((28, 28)),
    # to a pytorch tensor (values 0..1)
    transforms.ToTensor()
])

import os


class PTVisionService(PTServingBaseService):

    def __init__(self, model_name, model_path):
        # call the parent constructor
        super(PTVisionService, self).__init__(model_name, model_path)
        # load the model
        self.model = Mnist(model_path)
        # labels; overridden by label.json next to the model file
        self.label = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        dir_path = os.path.dirname(os.path.realpath(self.model_path))
        with open(os.path.join(dir_path, 'label.json')) as f:
            self.label = json.load(f)

    def _preprocess(self, data):

        preprocessed_data = {}
        for k, v in data.items():
            input_batch = []
            for file_name, file_content in v.items():
                with Image.open(file_content) as image1:
                    # grayscale
                    image1 = image1.convert("L")
                    if torch.cuda.is_available():
                        input_batch.append(infer_transformation(image1).cuda())
                    else:
                        input_batch.append(infer_transformation(image1))
            input_batch_var = torch.stack(input_batch, dim=0)
            logger.info("input %s: %s", k, tuple(input_batch_var.shape))
            preprocessed_data[k] = input_batch_var

        return preprocessed_data

    def _postprocess(self, data):
        # one result per uploaded file (the docs' example only answered for the first one)
        results = []
        for k, v in data.items():
            for row in v:
                result = int(torch.argmax(row))
                results.append({k: self.label[result]})
        return results

    def _inference(self, data):

        result = {}
        with torch.no_grad():
            for k, v in data.items():
                result[k] = self.model(v)

        return result


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        # the input's second dimension must be 784 (28 x 28)
        self.hidden1 = nn.Linear(784, 128)
        self.output = nn.Linear(128, 10)

    def forward(self, x):
        x = x.view(x.size()[0], -1)
        x = F.relu((self.hidden1(x)))
        # dropout only while training, so that inference is deterministic
        x = F.dropout(x, 0.2, training=self.training)
        x = self.output(x)
        return F.log_softmax(x, dim=1)


def Mnist(model_path, **kwargs):
    # build the network
    model = Net()
    # load the weights (saved with torch.save(model.state_dict(), ...))
    if torch.cuda.is_available():
        device = torch.device('cuda')
        model.load_state_dict(torch.load(model_path, map_location="cuda:0"))
    else:
        device = torch.device('cpu')
        model.load_state_dict(torch.load(model_path, map_location=device))
    # CPU or GPU
    model.to(device)
    # evaluation mode
    model.eval()

    return model
