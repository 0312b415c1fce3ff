using LeaseActors.Conformance.Real;

namespace LeaseActors.Cli.Tests;

/// <summary><c>leaseactors conform</c> through the CLI: usage errors, a missing environment, and one real case.</summary>
public sealed class ConformCommandTests
{
    private static string Case(string name) => Path.Combine(CliRunner.RepoRoot, "configs", "conformance", name);

    [Fact]
    public void Conform_without_topologies_or_fuzz_is_a_usage_error()
    {
        var (exit, _, err) = CliRunner.Run("conform");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("needs topology files or --fuzz", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Conform_refuses_a_topology_the_kernel_executor_does_not_run()
    {
        var file = Path.Combine(Path.GetTempPath(), $"conform-thread-{Environment.ProcessId}.conf");
        File.WriteAllText(file, "processes.A.program = [ { thread = t, program = [ { sleep = 1s } ] } ]\n");
        try
        {
            var (exit, _, err) = CliRunner.Run("conform", file);
            Assert.Equal(ExitCodes.BadInput, exit);
            Assert.Contains("thread", err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Conform_exits_3_with_the_reason_when_the_kernel_cannot_be_used()
    {
        var saved = Environment.GetEnvironmentVariable("CC");
        Environment.SetEnvironmentVariable("CC", "/nonexistent/cc");
        try
        {
            var (exit, stdout, err) = CliRunner.Run("conform", Case("R01-write-lease-on-rdonly-sole-open.conf"));
            Assert.Equal(ExitCodes.EnvironmentMissing, exit);
            Assert.Contains("the real kernel cannot be used here", err, StringComparison.Ordinal);
            Assert.Contains("Nothing was compared", err, StringComparison.Ordinal);
            Assert.Equal("", stdout); // never a silent pass
        }
        finally
        {
            Environment.SetEnvironmentVariable("CC", saved);
        }
    }

    [RealKernelFact]
    [Trait("Category", "RealKernel")]
    public void Conform_prints_the_kernel_version_real_pids_and_waits_and_exits_0_when_the_case_agrees()
    {
        var (exit, stdout, err) = CliRunner.Run("conform", Case("R14-reader-breaks-write-lease.conf"));
        Assert.True(exit == ExitCodes.Success, stdout + err);
        Assert.Contains("Linux " + KernelEnvironment.Release(), stdout, StringComparison.Ordinal);
        Assert.Matches(@"real pids A=\d+ B=\d+", stdout);
        Assert.Contains("until A.downgraded", stdout, StringComparison.Ordinal);
        Assert.Contains("1 of 1 cases agree", stdout, StringComparison.Ordinal);
    }
}

/// <summary>
/// A fact that needs the real kernel: skipped with the reason where it cannot be used, unless
/// LEASEACTORS_REQUIRE_KERNEL=1 (CI) makes it run and fail.
/// </summary>
public sealed class RealKernelFactAttribute : FactAttribute
{
    public RealKernelFactAttribute()
    {
        var problem = KernelEnvironment.Problem();
        if (problem is not null && Environment.GetEnvironmentVariable("LEASEACTORS_REQUIRE_KERNEL") != "1")
            Skip = $"the real kernel cannot be used here: {problem} (LEASEACTORS_REQUIRE_KERNEL=1 turns this skip into a failure)";
    }
}
