"""PyTorch packages: the ModelArts docs' MNIST service (seed 4.3.3) run unchanged on multipart
image uploads, and a package relying on PTServingBaseService's default ``_inference``."""
import io
import json
import os
import tempfile
import unittest

from harness import Worker, engines_available, make_package, remove_package

HAVE_ENGINES = engines_available("torch", "torchvision", "PIL")

# Seed 4.3.3's inference code, unchanged apart from a smaller hidden layer (16 instead of 5120)
# so the fixture stays tiny. It uses `import log`, torchvision transforms, the deprecated
# Variable(volatile=True) and F.log_softmax without dim.
SEED_SERVICE = '''
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

# 定义模型预处理
infer_transformation = transforms.Compose([
    transforms.Resize((28,28)),
    # 需要处理成pytorch tensor
    transforms.ToTensor()
])

import os

class PTVisionService(PTServingBaseService):

    def __init__(self, model_name, model_path):
        # 调用父类构造方法
        super(PTVisionService, self).__init__(model_name, model_path)
        # 调用自定义函数加载模型
        self.model = Mnist(model_path)
        # 加载标签
        self.label = [0,1,2,3,4,5,6,7,8,9]
        # 亦可通过文件标签文件加载
        # model目录下放置label.json文件，此处读取
        dir_path = os.path.dirname(os.path.realpath(self.model_path))
        with open(os.path.join(dir_path, 'label.json')) as f:
            self.label = json.load(f)

    def _preprocess(self, data):

        preprocessed_data = {}
        for k, v in data.items():
            input_batch = []
            for file_name, file_content in v.items():
                with Image.open(file_content) as image1:
                    # 灰度处理
                    image1 = image1.convert("L")
                    if torch.cuda.is_available():
                        input_batch.append(infer_transformation(image1).cuda())
                    else:
                        input_batch.append(infer_transformation(image1))
            input_batch_var = torch.autograd.Variable(torch.stack(input_batch, dim=0), volatile=True)
            print(input_batch_var.shape)
            preprocessed_data[k] = input_batch_var

        return preprocessed_data

    def _postprocess(self, data):
        results = []
        for k, v in data.items():
            result = torch.argmax(v[0])
            result = {k: self.label[result]}
            results.append(result)
        return results

    def _inference(self, data):

        result = {}
        for k, v in data.items():
            result[k] = self.model(v)

        return result

class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.hidden1 = nn.Linear(784, 16, bias=False)
        self.output = nn.Linear(16, 10, bias=False)

    def forward(self, x):
        x = x.view(x.size()[0], -1)
        x = F.relu((self.hidden1(x)))
        x = F.dropout(x, 0.2)
        x = self.output(x)
        return F.log_softmax(x)

def Mnist(model_path, **kwargs):
    # 生成网络
    model = Net()
    # 加载模型
    if torch.cuda.is_available():
        device = torch.device('cuda')
        model.load_state_dict(torch.load(model_path, map_location="cuda:0"))
    else:
        device = torch.device('cpu')
        model.load_state_dict(torch.load(model_path, map_location=device))
    # CPU或者GPU映射
    model.to(device)
    # 声明为推理模式
    model.eval()

    return model
'''

# Relies on the base class: its default _inference maps each input key to self.model(value).
DEFAULT_INFERENCE_SERVICE = '''
import torch
from model_service.pytorch_model_service import PTServingBaseService

class LinearService(PTServingBaseService):
    def __init__(self, model_name, model_path):
        super(LinearService, self).__init__(model_name, model_path)
        self.model = torch.nn.Linear(3, 2)
        self.model.load_state_dict(torch.load(self.model_path))
        self.model.eval()

    def _preprocess(self, data):
        return {k: torch.tensor(v, dtype=torch.float32) for k, v in data.items()}

    def _postprocess(self, data):
        if "raw" in data:
            return data  # tensors: not JSON serialisable
        return {k: [[round(x, 4) for x in row] for row in v.tolist()] for k, v in data.items()}
'''


def _png(color, size=(32, 32)):
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


def _fixtures():
    import torch
    tmp = tempfile.mkdtemp(prefix="infera-pt-train-")
    # Weights chosen so any non-black image scores class 3 whatever dropout keeps: every hidden
    # unit is positive and only output row 3 is non-zero.
    state = {"hidden1.weight": torch.full((16, 784), 0.01),
             "output.weight": torch.zeros(10, 16)}
    state["output.weight"][3] = 1.0
    mnist_path = os.path.join(tmp, "mnist_mlp.pt")
    torch.save(state, mnist_path)

    linear = torch.nn.Linear(3, 2)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]]))
        linear.bias.copy_(torch.tensor([0.5, -0.5]))
    linear_path = os.path.join(tmp, "linear.pth")
    torch.save(linear.state_dict(), linear_path)
    with open(mnist_path, "rb") as f:
        mnist = f.read()
    with open(linear_path, "rb") as f:
        linear_bytes = f.read()
    return mnist, linear_bytes


@unittest.skipUnless(HAVE_ENGINES, "Debian python3-torch / python3-torchvision not installed")
class PyTorchTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        mnist, linear = _fixtures()
        labels = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
        cls.seed_dir = make_package({
            "config.json": '{"model_type": "PyTorch", "runtime": "python3.6"}',
            "customize_service.py": SEED_SERVICE,
            "mnist_mlp.pt": mnist,
            "label.json": json.dumps(labels),
            # A second weights-like file: the PyTorch rule must still pick the *.pt.
            "classifier-pca.pkl": b"not a torch file",
        })
        cls.default_dir = make_package({
            "config.json": '{"model_type": "PyTorch"}',
            "customize_service.py": DEFAULT_INFERENCE_SERVICE,
            "linear.pth": linear,
        })
        cls.seed = Worker(cls.seed_dir, "PyTorch")
        cls.default = Worker(cls.default_dir, "PyTorch")
        cls.seed.wait_ready(60)
        cls.default.wait_ready(60)

    @classmethod
    def tearDownClass(cls):
        for worker in (cls.seed, cls.default):
            worker.stop()
        remove_package(cls.seed_dir)
        remove_package(cls.default_dir)

    def test_seed_mnist_service_on_multipart_images(self):
        status, _, body = self.seed.post_multipart(
            "/", [], [("images", "white.png", _png("white")), ("images", "grey.png", _png("grey"))])
        self.assertEqual(200, status, body)
        self.assertEqual([{"images": "three"}], json.loads(body))
        self.assertIn("torch.Size([2, 1, 28, 28])", self.seed.stdout())  # the user's print

    def test_seed_mnist_service_with_two_fields(self):
        status, _, body = self.seed.post_multipart(
            "/", [], [("image1", "cat.png", _png("white")), ("image2", "horse.png", _png("red"))])
        self.assertEqual(200, status, body)
        self.assertEqual([{"image1": "three"}, {"image2": "three"}], json.loads(body))

    def test_user_code_failing_on_unexpected_input_is_500(self):
        # The seed's _preprocess calls v.items() on a str: AttributeError, not Key/TypeError.
        status, _, body = self.seed.post_json("/", {"images": "not a file"})
        self.assertEqual(500, status)
        self.assertEqual({"erno": "MR.0105", "msg": "Recognition failed", "words_result": {}},
                         json.loads(body))

    def test_default_inference_runs_the_model_per_key(self):
        status, _, body = self.default.post_json("/", {"x": [[1, 1, 1], [0, 2, 0]]})
        self.assertEqual(200, status, body)
        self.assertEqual({"x": [[6.5, -1.0], [4.5, -2.5]]}, json.loads(body))

    def test_tensor_result_is_500(self):
        status, _, body = self.default.post_json("/", {"raw": [[1, 1, 1]]})
        self.assertEqual(500, status)
        self.assertEqual("MR.0105", json.loads(body)["erno"])


if __name__ == "__main__":
    unittest.main()
