using System.Diagnostics;

namespace LeaseActors.Cli.Tests;

public sealed class ToolPackageTests
{
    [Fact]
    public void Dotnet_pack_makes_a_tool_package_that_installs_and_prints_its_version()
    {
        var root = CliRunner.RepoRoot;
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var work = Directory.CreateTempSubdirectory("leaseactors-tool-");
        try
        {
            var packages = Path.Combine(work.FullName, "packages");
            var tools = Path.Combine(work.FullName, "tools");
            Dotnet(root, $"pack src/LeaseActors.Cli -c {configuration} --no-build -o \"{packages}\"");
            Assert.Single(Directory.GetFiles(packages, "LeaseActors.Cli.*.nupkg"));
            Dotnet(root, $"tool install LeaseActors.Cli --tool-path \"{tools}\" --add-source \"{packages}\" --prerelease");
            var (exit, output) = Start(Path.Combine(tools, "leaseactors"), "--version", root);
            Assert.Equal(0, exit);
            Assert.StartsWith("0.1.0", output.Trim(), StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void Dotnet(string directory, string arguments)
    {
        var (exit, output) = Start("dotnet", arguments, directory);
        Assert.True(exit == 0, $"dotnet {arguments} failed ({exit}):\n{output}");
    }

    private static (int Exit, string Output) Start(string file, string arguments, string directory)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 5 minutes");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult() + stderr);
    }
}
