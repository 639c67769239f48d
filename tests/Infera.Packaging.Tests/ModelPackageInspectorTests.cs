using Xunit;

namespace Infera.Packaging.Tests;

public sealed class ModelPackageInspectorTests : IDisposable
{
    private readonly TempPackage _package = new();

    public void Dispose() => _package.Dispose();

    private static void Valid(PackageInspection inspection) =>
        Assert.True(inspection.IsValid, "expected valid, got: " + string.Join(" | ", inspection.Errors));

    [Fact]
    public void Inspect_PyTorchPackage_IsValidWithSizeAndFiles()
    {
        _package.Config("PyTorch");
        _package.Write("model/customize_service.py", "import torch\n");
        _package.Write("model/resnet50.pth", new string('w', 1000));
        _package.Write("model/labels/labels.txt", "cat\ndog\n");

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        Valid(inspection);
        var modelDirectory = Path.Combine(_package.Root, "model");
        Assert.Equal(modelDirectory, inspection.ModelDirectory);
        Assert.Equal("PyTorch", inspection.Config!.ModelType);
        Assert.Equal(Path.Combine(modelDirectory, "resnet50.pth"), inspection.ModelFile);
        Assert.Equal(Path.Combine(modelDirectory, "customize_service.py"), inspection.ServiceScript);
        var expectedSize = new[] { "config.json", "customize_service.py", "resnet50.pth", "labels/labels.txt" }
            .Sum(f => new FileInfo(Path.Combine(modelDirectory, f)).Length);
        Assert.Equal(expectedSize, inspection.SizeBytes);
        Assert.Empty(inspection.Warnings);
    }

    [Fact]
    public void Inspect_RootIsModelFolder_UsesRoot()
    {
        _package.Config("XGBoost", prefix: "");
        _package.Write("xgboost.m");

        var inspection = ModelPackageInspector.Inspect(_package.Root + Path.DirectorySeparatorChar);

        Valid(inspection);
        Assert.Equal(_package.Root, inspection.ModelDirectory);
        Assert.Equal(Path.Combine(_package.Root, "xgboost.m"), inspection.ModelFile);
    }

    [Fact]
    public void Inspect_NoModelFolderButNestedConfig_UsesItsFolderWithWarning()
    {
        _package.Config("Image", prefix: "resnet");

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        Valid(inspection);
        Assert.Equal(Path.Combine(_package.Root, "resnet"), inspection.ModelDirectory);
        ConfigAssert.Warning(inspection.Warnings, ".", "The package has no \"model\" folder; \"resnet\"");
    }

    [Fact]
    public void Inspect_MissingFolder_ReportsNotExisting()
    {
        var inspection = ModelPackageInspector.Inspect(Path.Combine(_package.Root, "nope"));

        Assert.False(inspection.IsValid);
        ConfigAssert.Error(inspection.Errors, ".", "does not exist");
    }

    [Fact]
    public void Inspect_NoConfigJson_ReportsMissing()
    {
        _package.Write("model/customize_service.py");

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        Assert.Null(inspection.ModelDirectory);
        var error = Assert.Single(inspection.Errors);
        Assert.Equal(new PackageProblem("model", "config.json is missing from \"model\"; a package needs exactly one."), error);
    }

    [Fact]
    public void Inspect_NoModelFolderAndNoConfig_ReportsLayout()
    {
        _package.Write("readme.txt");

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        ConfigAssert.Error(inspection.Errors, ".", "The package has neither a \"model\" folder nor a config.json");
    }

    [Fact]
    public void Inspect_TwoConfigJson_ListsBoth()
    {
        _package.Config("PyTorch");
        _package.Config("PyTorch", prefix: "model/bert");

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        Assert.Null(inspection.ModelDirectory);
        var error = Assert.Single(inspection.Errors);
        Assert.Equal("model", error.Path);
        Assert.Equal("Found 2 config.json files (model/bert/config.json, model/config.json); a package must hold exactly one.", error.Message);
    }

    [Fact]
    public void Inspect_TwoServiceScripts_ListsBoth()
    {
        _package.Config("PyTorch");
        _package.Write("model/customize_service.py");
        _package.Write("model/old/customize_service.py");
        _package.Write("model/net.pt");

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        var error = Assert.Single(inspection.Errors);
        Assert.Equal("model", error.Path);
        Assert.Equal("Found 2 customize_service.py files (model/customize_service.py, model/old/customize_service.py); a package must hold exactly one.", error.Message);
    }

    [Theory]
    [InlineData("PyTorch")]
    [InlineData("TensorFlow")]
    [InlineData("MindSpore")]
    public void Inspect_DeepLearningWithoutServiceScript_ReportsMissing(string engine)
    {
        _package.Config(engine);
        _package.Write("model/net.pth");

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        var error = Assert.Single(inspection.Errors);
        Assert.Equal(new PackageProblem("model", $"customize_service.py is missing from \"model\"; {engine} packages need exactly one."), error);
    }

    [Theory]
    [InlineData("Scikit_Learn", "model.pkl")]
    [InlineData("XGBoost", "xgboost.m")]
    public void Inspect_MachineLearningWithoutServiceScript_IsValid(string engine, string modelFile)
    {
        _package.Config(engine);
        _package.Write("model/" + modelFile);

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        Valid(inspection);
        Assert.Null(inspection.ServiceScript);
        Assert.EndsWith(modelFile, inspection.ModelFile, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_CustomEngineWithoutServiceScript_IsValid()
    {
        _package.Config("Image");

        Valid(ModelPackageInspector.Inspect(_package.Root));
    }

    [Fact]
    public void Inspect_PyTorchWithoutWeights_ReportsSeedMessage()
    {
        _package.Config("PyTorch");
        _package.Write("model/customize_service.py");
        _package.Write("model/weights.bin");

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        var error = Assert.Single(inspection.Errors);
        Assert.Equal(new PackageProblem("model", "Model size calculated failed.Can not find PyTorch (*.pth or *.pt) file in current model directory model."), error);
    }

    [Fact]
    public void Inspect_PyTorchWithTwoWeights_WarnsAndPicksFirst()
    {
        _package.Config("PyTorch");
        _package.Write("model/customize_service.py");
        _package.Write("model/b.pth");
        _package.Write("model/a.pt");

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        Valid(inspection);
        Assert.Equal(Path.Combine(_package.Root, "model", "a.pt"), inspection.ModelFile);
        ConfigAssert.Warning(inspection.Warnings, "model", "Find more than one PyTorch (*.pth or *.pt) file");
    }

    [Fact]
    public void Inspect_PyTorchWeightsInSubfolder_WarnsAndUsesThem()
    {
        _package.Config("PyTorch");
        _package.Write("model/customize_service.py");
        _package.Write("model/checkpoints/net.pth");

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        Valid(inspection);
        Assert.Equal(Path.Combine(_package.Root, "model", "checkpoints", "net.pth"), inspection.ModelFile);
        ConfigAssert.Warning(inspection.Warnings, "model/checkpoints/net.pth", "not directly in \"model\"");
    }

    [Fact]
    public void Inspect_MachineLearningWithoutModelFile_ReportsSeedMessage()
    {
        _package.Config("XGBoost");
        _package.Write("model/customize_service.py");

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        var error = Assert.Single(inspection.Errors);
        Assert.Equal("Model size calculated failed.Can not find XGBoost (*.m, *.pkl, *.joblib, *.model or *.json) file in current model directory model.", error.Message);
    }

    [Fact]
    public void Inspect_MachineLearningWithPklAndM_PrefersM()
    {
        _package.Config("Scikit_Learn");
        _package.Write("model/a.pkl");
        _package.Write("model/z.m");

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        Valid(inspection);
        Assert.Equal(Path.Combine(_package.Root, "model", "z.m"), inspection.ModelFile);
    }

    [Fact]
    public void Inspect_InvalidConfig_ReportsJsonPathErrors()
    {
        _package.Write("model/config.json", "{ \"model_type\": \"Paddle\", \"model_algorithm\": \"a\" }");

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        Assert.False(inspection.IsValid);
        Assert.Equal(Path.Combine(_package.Root, "model"), inspection.ModelDirectory);
        ConfigAssert.Error(inspection.Errors, "$.model_type", "\"Paddle\" is not a supported engine");
    }

    [Fact]
    public void Inspect_SymlinkOutsidePackage_ReportsLink()
    {
        _package.Config("Image");
        using var outside = new TempPackage();
        var target = outside.Write("secret.txt");
        File.CreateSymbolicLink(Path.Combine(_package.Root, "model", "secret.txt"), target);

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        var error = Assert.Single(inspection.Errors);
        Assert.Equal("model/secret.txt", error.Path);
        Assert.Contains("outside the package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_SymlinkInsidePackage_IsAcceptedAndNotCounted()
    {
        _package.Config("XGBoost");
        var real = _package.Write("model/data/real.m", new string('m', 100));
        File.CreateSymbolicLink(Path.Combine(_package.Root, "model", "xgboost.m"), real);

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        Valid(inspection);
        Assert.Equal(Path.Combine(_package.Root, "model", "xgboost.m"), inspection.ModelFile);
        var configLength = new FileInfo(Path.Combine(_package.Root, "model", "config.json")).Length;
        Assert.Equal(100 + configLength, inspection.SizeBytes);
    }

    [Fact]
    public void Inspect_DanglingSymlink_ReportsMissingTarget()
    {
        _package.Config("Image");
        File.CreateSymbolicLink(Path.Combine(_package.Root, "model", "gone.bin"), Path.Combine(_package.Root, "model", "nothing"));

        var inspection = ModelPackageInspector.Inspect(_package.Root);

        ConfigAssert.Error(inspection.Errors, "model/gone.bin", "does not exist");
    }
}
