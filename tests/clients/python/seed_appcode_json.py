# coding=utf-8
# Seed 003 §3.1.4.2.3 "方式三：使用 Python 语言通过 AppCode 认证鉴权方式发送预测请求" (input as JSON), verbatim. The
# interop test replaces the placeholders 在线服务的调用地址 / 预测文件的本地路径 and sets HUAWEICLOUD_APP_CODE.

import base64
import requests
import os

if __name__ == '__main__':
    # Config url, app code and request body.
    url = "在线服务的调用地址"
    # 认证的app_code硬编码到代码中或者明文存储都有很大的安全风险,建议在配置文件或者环境变量中密文存放,使用时解密,确保安全;
    # 本示例以app_code保存在环境变量中来实现身份验证为例,运行本示例前请先在本地环境中设置环境变量HUAWEICLOUD_APP_CODE.
    app_code = os.environ["HUAWEICLOUD_APP_CODE"]
    file_path = "预测文件的本地路径"
    with open(file_path, "rb") as file:
        base64_data = base64.b64encode(file.read()).decode("utf-8")

    # Send request
    headers = {
        'Content-Type': 'application/json',
        'X-Apig-AppCode': app_code
    }
    body = {
        'image': base64_data
    }
    resp = requests.post(url, headers=headers, json=body)

    # Print result
    print(resp.status_code)
    print(resp.text)
