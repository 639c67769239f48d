# coding=utf-8
# Seed 003 §3.1.4.2.1 "方式三：使用 Python 语言发送预测请求" (input as a file), verbatim; placeholders replaced by the test.

import requests

if __name__ == '__main__':
    # Config url, token and file path.
    url = "在线服务的调用地址"
    token = "用户Token"
    file_path = "预测文件的本地路径"

    # Send request.
    headers = {
        'X-Auth-Token': token
    }
    files = {
        'images': open(file_path, 'rb')
    }
    resp = requests.post(url, headers=headers, files=files)

    # Print result.
    print(resp.status_code)
    print(resp.text)
