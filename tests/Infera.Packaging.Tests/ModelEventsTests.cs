using Xunit;

namespace Infera.Packaging.Tests;

public sealed class ModelEventsTests
{
    [Fact]
    public void InvalidField_ModelType_FormatsSeedText()
    {
        Assert.Equal("Invalid model_type in config.json.", ModelEvents.InvalidField("model_type"));
    }

    [Fact]
    public void SizeMessages_Format_MatchSeedTexts()
    {
        Assert.Equal(
            "Model size calculated failed.Find more than one pth file in current model directory model.",
            ModelEvents.MoreThanOneModelFile("pth", "model"));
        Assert.Equal(
            "Model size calculated failed.Can not find m file in current model directory model.",
            ModelEvents.ModelFileNotFound("m", "model"));
        Assert.Equal("Start model import.", ModelEvents.ImportStarted);
        Assert.Equal("Model imported successfully.", ModelEvents.ImportSucceeded);
    }
}
