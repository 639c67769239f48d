using Xunit;

namespace Infera.Packaging.Tests;

public sealed class ModelTypesTests
{
    [Theory]
    [InlineData("TensorFlow", "TensorFlow")]
    [InlineData("tensorflow", "TensorFlow")]
    [InlineData("MXNET", "MXNet")]
    [InlineData("caffe", "Caffe")]
    [InlineData("spark_mllib", "Spark_MLlib")]
    [InlineData("scikit_learn", "Scikit_Learn")]
    [InlineData("xgboost", "XGBoost")]
    [InlineData("PYTORCH", "PyTorch")]
    [InlineData("mindspore", "MindSpore")]
    [InlineData("image", "Image")]
    [InlineData("Custom", "Image")]
    [InlineData(" custom ", "Image")]
    public void Canonicalize_KnownEngine_ReturnsCanonicalSpelling(string written, string expected)
    {
        Assert.Equal(expected, ModelTypes.Canonicalize(written));
        Assert.True(ModelTypes.IsKnown(written));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Paddle")]
    [InlineData("Scikit-Learn")]
    public void Canonicalize_UnknownEngine_ReturnsNull(string? written)
    {
        Assert.Null(ModelTypes.Canonicalize(written));
        Assert.False(ModelTypes.IsKnown(written));
    }

    [Theory]
    [InlineData("Scikit_Learn", true)]
    [InlineData("XGBoost", true)]
    [InlineData("Spark_MLlib", true)]
    [InlineData("PyTorch", false)]
    [InlineData("Image", false)]
    public void IsMachineLearning_Engine_MatchesTable(string engine, bool expected)
    {
        Assert.Equal(expected, ModelTypes.IsMachineLearning(engine));
    }

    [Theory]
    [InlineData("PyTorch", true)]
    [InlineData("scikit_learn", true)]
    [InlineData("XGBoost", true)]
    [InlineData("Image", true)]
    [InlineData("Custom", true)]
    [InlineData("onnx", true)]
    [InlineData("TensorFlow", false)]
    [InlineData("MindSpore", false)]
    [InlineData("Spark_MLlib", false)]
    [InlineData("Caffe", false)]
    [InlineData("MXNet", false)]
    public void IsRunnableHere_Engine_MatchesShippedRuntimes(string engine, bool expected)
    {
        Assert.Equal(expected, ModelTypes.IsRunnableHere(engine));
    }

    [Fact]
    public void GetRuntimes_Engines_FollowTable22()
    {
        Assert.Equal(8, ModelTypes.GetRuntimes("TensorFlow").Count);
        Assert.Equal(["python2.7", "python3.6"], ModelTypes.GetRuntimes("XGBoost"));
        Assert.Contains("pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64", ModelTypes.GetRuntimes("pytorch"));
        Assert.Equal(["aarch64"], ModelTypes.GetRuntimes("MindSpore"));
        Assert.Empty(ModelTypes.GetRuntimes("Image"));
        Assert.Empty(ModelTypes.GetRuntimes("MXNet"));
    }
}
