namespace LeaseActors.Cluster.Tests;

/// <summary>The repository the tests run from (configs/, docs/).</summary>
internal static class Repo
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeaseActors.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LeaseActors.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The directory that holds LeaseActors.sln.</summary>
    public static string Root => s_root.Value;
}
