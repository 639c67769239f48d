namespace Infera.Packaging;

/// <summary>
/// One item of the <c>dependencies</c> array of config.json (seed 003 table 4-6). Groups and their packages
/// keep the order of the file, which is the install order ("写在前面的先安装").
/// </summary>
/// <param name="Installer">The installer; only <c>pip</c> is supported.</param>
/// <param name="Packages">The packages to install, in order.</param>
public sealed record DependencyGroup(string Installer, IReadOnlyList<DependencyPackage> Packages);
