using Xunit;

namespace Infera.Packaging.Tests;

public sealed class ModelConfigReaderDependenciesTests
{
    private static ConfigReadResult ReadPackages(string packages, string installer = "\"pip\"", string modelType = "PyTorch") =>
        ConfigAssert.Read($"\"dependencies\": [ {{ \"installer\": {installer}, \"packages\": [ {packages} ] }} ]", modelType);

    [Fact]
    public void Read_Dependencies_KeepOrderAndCanonicalRestraint()
    {
        var result = ConfigAssert.Read("""
            "dependencies": [
              { "installer": "pip", "packages": [
                { "package_name": "numpy", "package_version": "1.16.4", "restraint": "exact" },
                { "package_name": "Pillow" } ] },
              { "installer": "PIP", "packages": [ { "package_name": "torch-1.8.0-cp37-none-linux_x86_64.whl" } ] }
            ]
            """);

        ConfigAssert.Valid(result);
        var groups = result.Config!.Dependencies;
        Assert.Equal(2, groups.Count);
        Assert.Equal("pip", groups[1].Installer);
        Assert.Equal(new DependencyPackage("numpy", "1.16.4", "EXACT"), groups[0].Packages[0]);
        Assert.Equal(new DependencyPackage("Pillow", null, null), groups[0].Packages[1]);
        Assert.Equal("torch-1.8.0-cp37-none-linux_x86_64.whl", groups[1].Packages[0].PackageName);
    }

    [Fact]
    public void Read_DependenciesNotArray_ReportsType()
    {
        var result = ConfigAssert.Read("\"dependencies\": { \"installer\": \"pip\" }");

        ConfigAssert.SingleError(result, "$.dependencies", "dependencies must be an array of dependency objects, not an object.");
    }

    [Fact]
    public void Read_InstallerNotPip_ReportsValue()
    {
        var result = ReadPackages("{ \"package_name\": \"numpy\" }", "\"conda\"");

        ConfigAssert.SingleError(result, "$.dependencies[0].installer", "installer \"conda\" is not supported; the only installer is \"pip\".");
    }

    [Fact]
    public void Read_MissingInstallerAndPackages_ReportsBoth()
    {
        var result = ConfigAssert.Read("\"dependencies\": [ {} ]");

        Assert.Equal(2, result.Errors.Count);
        ConfigAssert.Error(result.Errors, "$.dependencies[0].installer", "installer is required");
        ConfigAssert.Error(result.Errors, "$.dependencies[0].packages", "packages is required");
    }

    [Fact]
    public void Read_MissingPackageName_ReportsRequired()
    {
        var result = ReadPackages("{ \"package_version\": \"1.0\", \"restraint\": \"EXACT\" }");

        ConfigAssert.SingleError(result, "$.dependencies[0].packages[0].package_name", "package_name is required.");
    }

    [Theory]
    [InlineData("numpy==1.0")]
    [InlineData("numpy>1")]
    [InlineData("数值")]
    [InlineData("a&b")]
    public void Read_InvalidPackageName_ReportsCharacterRule(string name)
    {
        var result = ReadPackages($"{{ \"package_name\": \"{name}\" }}");

        ConfigAssert.SingleError(result, "$.dependencies[0].packages[0].package_name", $"package_name \"{name}\" must contain no Chinese characters or any of & ! \" ' < > =.");
    }

    [Fact]
    public void Read_InvalidPackageVersion_ReportsCharacterRule()
    {
        var result = ReadPackages("{ \"package_name\": \"numpy\", \"package_version\": \">=1.0\", \"restraint\": \"ATLEAST\" }");

        ConfigAssert.SingleError(result, "$.dependencies[0].packages[0].package_version", "package_version \">=1.0\" must contain no Chinese characters");
    }

    [Fact]
    public void Read_VersionWithoutRestraint_ReportsRestraintRequired()
    {
        var result = ReadPackages("{ \"package_name\": \"numpy\", \"package_version\": \"1.0\" }");

        ConfigAssert.SingleError(result, "$.dependencies[0].packages[0].restraint", "restraint is required because package_version \"1.0\" is given; use EXACT, ATLEAST or ATMOST.");
    }

    [Fact]
    public void Read_RestraintWithoutVersion_ReportsVersionNeeded()
    {
        var result = ReadPackages("{ \"package_name\": \"numpy\", \"restraint\": \"ATMOST\" }");

        ConfigAssert.SingleError(result, "$.dependencies[0].packages[0].restraint", "restraint \"ATMOST\" needs a package_version");
    }

    [Fact]
    public void Read_EmptyVersionAndRestraint_CountAsAbsent()
    {
        var result = ReadPackages("{ \"package_name\": \"Pillow\", \"package_version\": \"\", \"restraint\": \"\" }");

        ConfigAssert.Valid(result);
        Assert.Equal(new DependencyPackage("Pillow", null, null), result.Config!.Dependencies[0].Packages[0]);
    }

    [Fact]
    public void Read_UnknownRestraint_ReportsValue()
    {
        var result = ReadPackages("{ \"package_name\": \"numpy\", \"package_version\": \"1.0\", \"restraint\": \"LATEST\" }");

        ConfigAssert.SingleError(result, "$.dependencies[0].packages[0].restraint", "restraint \"LATEST\" is not supported; use EXACT, ATLEAST or ATMOST.");
    }

    [Fact]
    public void Read_NumericVersion_IsReadAsStringWithWarning()
    {
        var result = ReadPackages("{ \"package_name\": \"numpy\", \"package_version\": 1.10, \"restraint\": \"EXACT\" }");

        ConfigAssert.Valid(result);
        Assert.Equal("1.10", result.Config!.Dependencies[0].Packages[0].PackageVersion);
        ConfigAssert.Warning(result.Warnings, "$.dependencies[0].packages[0].package_version", "is a number");
    }

    [Fact]
    public void Read_DependenciesOnCustomEngine_ReportsSeedMessage()
    {
        var result = ReadPackages("{ \"package_name\": \"numpy\" }", modelType: "Image");

        ConfigAssert.SingleError(result, "$.dependencies", "Customize model does not support dependencies.");
    }

    [Fact]
    public void Read_EmptyDependenciesOnCustomEngine_IsAccepted()
    {
        ConfigAssert.Valid(ConfigAssert.Read("\"dependencies\": []", "Image"));
    }
}
