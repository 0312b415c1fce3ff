using LeaseActors.Conformance.Real;

namespace LeaseActors.Kernel.Tests.Real;

/// <summary>The sysctl guard against files in a temp folder standing in for /proc/sys/fs (no root needed).</summary>
public sealed class SysctlGuardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sysctl-guard-").FullName;
    private readonly SysctlPaths _paths;

    public SysctlGuardTests()
    {
        _paths = new SysctlPaths(Path.Combine(_dir, "lease-break-time"), Path.Combine(_dir, "leases-enable"), Path.Combine(_dir, "run"));
        File.WriteAllText(_paths.LeaseBreakTime, "45\n");
        File.WriteAllText(_paths.LeasesEnable, "1\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string BreakTime => File.ReadAllText(_paths.LeaseBreakTime).Trim();
    private string Enable => File.ReadAllText(_paths.LeasesEnable).Trim();

    [Fact]
    public void Values_are_set_for_the_run_and_restored_afterwards()
    {
        using (var guard = SysctlGuard.Acquire(1, leasesEnable: false, _paths))
        {
            Assert.False(guard.Recovered);
            Assert.Equal("1", BreakTime);
            Assert.Equal("0", Enable);
            Assert.True(File.Exists(_paths.Journal));
            Assert.Contains("lease-break-time=45", File.ReadAllText(_paths.Journal), StringComparison.Ordinal);
        }
        Assert.Equal("45", BreakTime);
        Assert.Equal("1", Enable);
        Assert.False(File.Exists(_paths.Journal));
    }

    [Fact]
    public void A_killed_run_is_repaired_from_the_journal_at_the_next_start()
    {
        var killed = SysctlGuard.Acquire(1, leasesEnable: false, _paths);
        killed.AbandonForTest(); // the process died: values changed, journal left, lock released by the kernel
        Assert.Equal("1", BreakTime);
        Assert.True(File.Exists(_paths.Journal));

        using (var next = SysctlGuard.Acquire(7, leasesEnable: true, _paths))
        {
            Assert.True(next.Recovered);
            Assert.Equal("7", BreakTime);
            // The new journal holds the true originals, not the killed run's values.
            Assert.Contains("lease-break-time=45", File.ReadAllText(_paths.Journal), StringComparison.Ordinal);
            Assert.Contains("leases-enable=1", File.ReadAllText(_paths.Journal), StringComparison.Ordinal);
        }
        Assert.Equal("45", BreakTime);
        Assert.Equal("1", Enable);
    }

    [Fact]
    public void A_second_run_waits_for_the_lock_while_the_values_are_changed()
    {
        using var first = SysctlGuard.Acquire(1, leasesEnable: true, _paths);
        Assert.Throws<TimeoutException>(() => SysctlGuard.Acquire(2, leasesEnable: true, _paths, TimeSpan.FromMilliseconds(200)));
        Assert.Equal("1", BreakTime);
    }

    [Fact]
    public void A_killed_process_holding_the_lock_is_repaired_by_the_next_one()
    {
        // A real process takes the lock (flock), writes the journal and the changed value, then is SIGKILLed.
        var script = $"exec 9>>{_paths.LockFile}; flock 9; printf 'lease-break-time=45\\nleases-enable=1\\n' > {_paths.Journal}; echo 3 > {_paths.LeaseBreakTime}; echo ready; sleep 60";
        Directory.CreateDirectory(_paths.Folder);
        using var victim = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", script]) { RedirectStandardOutput = true })!;
        Assert.Equal("ready", victim.StandardOutput.ReadLine());
        victim.Kill(entireProcessTree: true);
        victim.WaitForExit();
        Assert.Equal("3", BreakTime);

        using (var next = SysctlGuard.Acquire(1, leasesEnable: true, _paths, TimeSpan.FromSeconds(10)))
            Assert.True(next.Recovered);
        Assert.Equal("45", BreakTime);
    }
}
