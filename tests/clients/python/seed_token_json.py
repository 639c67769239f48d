# coding=utf-8
# Seed 003 §3.1.4.2.1 "方式三：使用 Python 语言发送预测请求" (input as JSON), verbatim. The interop test replaces
# only the placeholders 在线服务的调用地址 / 用户Token / 预测文件的本地路径 (URL and credentials), as a user would.

import base64
import requests

if __name__ == '__main__':
    # Config url, token and file path
    url = "在线服务的调用地址"
    token = "用户Token"
    file_path = "预测文件的本地路径"
    with open(file_path, "rb") as file:
        base64_data = base64.b64encode(file.read()).decode("utf-8")

    # Set body,then send request
    headers = {
        'Content-Type': 'application/json',
        'X-Auth-Token': token
    }
    body = {
        'image': base64_data
    }
    resp = requests.post(url, headers=headers, json=body)

    # Print result
    print(resp.status_code)
    print(resp.text)
