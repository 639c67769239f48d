// The ONNX engine's instance process (runtimes/README.md "ONNX engine"): serves one model, or inspects one with --inspect.
return await Infera.Onnx.Hosting.WorkerApp.RunAsync(args);
