namespace Infera.Packaging;

/// <summary>One item of a dependency group's <c>packages</c> array (seed 003 table 4-7).</summary>
/// <param name="PackageName">The pip package name, e.g. <c>numpy</c>, or a wheel file name shipped beside the model.</param>
/// <param name="PackageVersion">The version, or null when not pinned (an empty string in the file counts as absent).</param>
/// <param name="Restraint">
/// <c>EXACT</c> (==), <c>ATLEAST</c> (&gt;=) or <c>ATMOST</c> (&lt;=) in upper case; present exactly when
/// <paramref name="PackageVersion"/> is.
/// </param>
public sealed record DependencyPackage(string PackageName, string? PackageVersion, string? Restraint);
