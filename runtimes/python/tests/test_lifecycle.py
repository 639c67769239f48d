"""Worker process lifecycle: startup failures, SIGTERM, the parent-pid watchdog."""
import json
import signal
import subprocess
import threading
import time
import unittest

from harness import Worker, make_package, remove_package

SLOW_SERVICE = '''
import time
from model_service.model_service import SingleNodeService

class Slow(SingleNodeService):
    def _inference(self, data):
        time.sleep(float(data.get("seconds", 0)))
        return {"done": True}
'''


def _last_line(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


class StartupFailureTest(unittest.TestCase):
    """Each case: the worker must exit with code 3 and end stderr with a one-line summary."""

    def _expect_failure(self, files, model_type="PyTorch", env=None):
        model_dir = make_package(files)
        worker = Worker(model_dir, model_type, env)
        try:
            code = worker.wait_exit(30)
            stderr = worker.stderr()
            self.assertEqual(3, code, stderr)
            return _last_line(stderr), stderr
        finally:
            worker.stop()
            remove_package(model_dir)

    def test_import_error_exits_3_with_summary_and_traceback(self):
        summary, stderr = self._expect_failure({
            "customize_service.py": "print('loading')\nimport definitely_missing_module_xyz\n"})
        self.assertTrue(summary.startswith(
            "infera-worker: failed to load customize_service.py: ModuleNotFoundError: "
            "No module named 'definitely_missing_module_xyz'"), summary)
        self.assertIn("Traceback (most recent call last)", stderr)

    def test_missing_engine_is_named(self):
        summary, _ = self._expect_failure({
            "customize_service.py": "import tensorflow as tf\n"}, model_type="TensorFlow")
        self.assertIn("TensorFlow engine is not supported", summary)

    def test_tf_package_relying_on_default_inference_fails_at_construction(self):
        summary, _ = self._expect_failure({
            "customize_service.py": """
                from model_service.tfserving_model_service import TfServingBaseService
                class MnistService(TfServingBaseService):
                    def _preprocess(self, data):
                        return data
            """}, model_type="TensorFlow")
        self.assertTrue(summary.startswith("infera-worker: failed to construct MnistService: "
                                           "EngineNotSupportedError: TensorFlow engine is not "
                                           "supported on this node"), summary)

    def test_constructor_error(self):
        summary, _ = self._expect_failure({
            "customize_service.py": """
                from model_service.pytorch_model_service import PTServingBaseService
                class Svc(PTServingBaseService):
                    def __init__(self, model_name, model_path):
                        raise ValueError("cannot load\\nweights")
            """, "w.pth": b""})
        self.assertEqual("infera-worker: failed to construct Svc: ValueError: cannot load weights",
                         summary)

    def test_no_service_class(self):
        summary, _ = self._expect_failure({"customize_service.py": "class NotAService: pass\n"})
        self.assertIn("no service class in customize_service.py", summary)

    def test_two_service_classes(self):
        summary, _ = self._expect_failure({"customize_service.py": """
            from model_service.pytorch_model_service import PTServingBaseService
            class A(PTServingBaseService): pass
            class B(PTServingBaseService): pass
        """})
        self.assertIn("several service classes (A, B)", summary)

    def test_pytorch_requires_customize_service(self):
        summary, _ = self._expect_failure({"config.json": "{}"})
        self.assertIn("customize_service.py not found", summary)

    def test_ml_without_model_file(self):
        summary, _ = self._expect_failure({"config.json": "{}"}, model_type="Scikit_Learn")
        self.assertIn("no model file found", summary)

    def test_bad_environment_exits_2(self):
        model_dir = make_package({"customize_service.py": SLOW_SERVICE})
        worker = Worker(model_dir, "Custom", {"MODEL_PATH": "/nonexistent/model"})
        try:
            self.assertEqual(2, worker.wait_exit(20))
            self.assertIn("MODEL_PATH is not a directory", _last_line(worker.stderr()))
        finally:
            worker.stop()
            remove_package(model_dir)


class StopTest(unittest.TestCase):

    def setUp(self):
        self.model_dir = make_package({"customize_service.py": SLOW_SERVICE})

    def tearDown(self):
        remove_package(self.model_dir)

    def test_sigterm_finishes_the_in_flight_request_then_exits_0(self):
        worker = Worker(self.model_dir, "Custom").wait_ready()
        try:
            result = []
            t = threading.Thread(target=lambda: result.append(
                worker.post_json("/", {"seconds": 1.0})))
            t.start()
            time.sleep(0.3)  # request is inside the service now
            worker.proc.send_signal(signal.SIGTERM)
            t.join(15)
            self.assertEqual(200, result[0][0])
            self.assertEqual({"done": True}, json.loads(result[0][2]))
            self.assertEqual(0, worker.wait_exit(15), worker.stderr())
        finally:
            worker.stop()

    def test_sigterm_when_idle_exits_promptly(self):
        worker = Worker(self.model_dir, "Custom").wait_ready()
        try:
            conn = worker.connect()
            worker.request("GET", "/health", conn=conn)  # an idle keep-alive connection stays open
            started = time.monotonic()
            worker.proc.send_signal(signal.SIGTERM)
            self.assertEqual(0, worker.wait_exit(10), worker.stderr())
            self.assertLess(time.monotonic() - started, 3.0)
            conn.close()
        finally:
            worker.stop()

    def test_worker_exits_when_parent_pid_disappears(self):
        parent = subprocess.Popen(["sleep", "60"])
        worker = Worker(self.model_dir, "Custom", {"INFERA_PARENT_PID": str(parent.pid)})
        try:
            worker.wait_ready()
            time.sleep(1.2)
            self.assertIsNone(worker.proc.poll(), "worker quit while its parent was alive")
            # Killed but not yet reaped: a zombie must count as gone too.
            parent.kill()
            code = worker.wait_exit(5)
            self.assertEqual(5, code, worker.stderr())
            self.assertIn("parent process %d is gone" % parent.pid, worker.stderr())
        finally:
            parent.kill()
            parent.wait()
            worker.stop()

    def test_worker_exits_when_the_parent_holding_its_pipes_is_killed(self):
        # The real supervisor reads the worker's stdout/stderr through pipes. When it is killed -9
        # those pipes break, so the watchdog's own goodbye line raises BrokenPipeError; the worker
        # must still exit (regression: it used to stay behind as an orphan).
        import os
        import sys
        from harness import PYTHON, WORKER, free_port
        launcher = (
            "import os, subprocess, sys, time\n"
            "env = dict(os.environ, INFERA_PARENT_PID=str(os.getpid()))\n"
            "p = subprocess.Popen([sys.argv[1], sys.argv[2]], env=env, stdout=subprocess.PIPE,"
            " stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)\n"
            "print(p.pid, flush=True)\n"
            "time.sleep(120)\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("INFERA_")}
        env.update({"INFERA_PORT": str(free_port()), "MODEL_PATH": self.model_dir,
                    "INFERA_MODEL_TYPE": "Custom"})
        parent = subprocess.Popen([PYTHON, "-c", launcher, PYTHON, WORKER], env=env,
                                  stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        try:
            worker_pid = int(parent.stdout.readline())
            time.sleep(1.5)
            os.kill(worker_pid, 0)  # alive while its parent is
            parent.kill()
            parent.wait()
            deadline = time.monotonic() + 6
            while time.monotonic() < deadline:
                try:
                    os.kill(worker_pid, 0)
                except ProcessLookupError:
                    return
                time.sleep(0.1)
            os.kill(worker_pid, signal.SIGKILL)
            self.fail("worker %d outlived its killed parent" % worker_pid)
        finally:
            parent.kill()
            parent.wait()


if __name__ == "__main__":
    unittest.main()
