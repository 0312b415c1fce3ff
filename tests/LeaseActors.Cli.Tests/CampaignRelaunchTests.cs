using System.Diagnostics;
using LeaseActors.Campaigns;

namespace LeaseActors.Cli.Tests;

/// <summary>
/// <c>leaseactors chaos</c> started as a program: it starts itself again with the campaign GC budget
/// (<see cref="CampaignProcess"/>), gives the same results as a campaign run without the relaunch, and a SIGTERM to the
/// parent ends the child too. These start the built program as processes and wait for them on the wall clock, so they
/// run in CI's serial step.
/// </summary>
[Trait("Category", "RealTime")]
public sealed class CampaignRelaunchTests
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "LeaseActors.Cli");

    [Fact]
    public void The_start_info_runs_the_same_program_with_the_same_arguments_and_the_campaign_budget()
    {
        var info = CampaignProcess.StartInfo(["chaos", "a b.conf", "--runs", "5"]);

        Assert.Equal(Environment.ProcessPath, info.FileName);
        var expected = new List<string>();
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") expected.Add(Environment.GetCommandLineArgs()[0]);
        expected.AddRange(["chaos", "a b.conf", "--runs", "5"]);
        Assert.Equal(expected, info.ArgumentList);
        Assert.Equal("0x8000000", info.Environment[CampaignProcess.Gen0BudgetVariable]);
        Assert.False(info.RedirectStandardOutput || info.RedirectStandardError || info.RedirectStandardInput);
    }

    [LinuxFact]
    public void A_relaunched_campaign_writes_the_same_results_as_one_run_in_the_started_process()
    {
        using var dir = new TempDir();
        string[] Args(string file) =>
            ["chaos", Path.Combine(CliRunner.RepoRoot, "configs/topologies/rdma-seed.conf"), "--policy", "mr-holds-lease",
             "--chaos", Path.Combine(CliRunner.RepoRoot, "configs/chaos/delays.conf"), "--runs", "300", "--seed", "11",
             "--no-shrink", "--out", dir.File(file)];

        var (relaunched, relaunchedOutput) = Start(Args("relaunched.jsonl"), optOut: false);
        var (inPlace, inPlaceOutput) = Start(Args("in-place.jsonl"), optOut: true);

        Assert.True(relaunched == 0, relaunchedOutput);
        Assert.True(inPlace == 0, inPlaceOutput);
        Assert.Equal(WithoutWallClock(dir.File("in-place.jsonl")), WithoutWallClock(dir.File("relaunched.jsonl")));
        Assert.Equal(300, File.ReadLines(dir.File("relaunched.jsonl")).Count());
    }

    [LinuxFact]
    public void A_sigterm_to_the_parent_ends_the_child_that_runs_the_campaign()
    {
        using var dir = new TempDir();
        var results = dir.File("results.jsonl");
        var info = StartInfo(
            ["chaos", Path.Combine(CliRunner.RepoRoot, "configs/topologies/rdma-seed.conf"), "--runs", "100000000", "--no-shrink", "--out", results],
            optOut: false);
        using var parent = Process.Start(info)!;
        var stderr = parent.StandardError.ReadToEndAsync();
        _ = parent.StandardOutput.ReadToEndAsync();

        // The child is running campaigns once results appear; it is the parent's only child.
        var child = WaitFor(() => File.Exists(results) && new FileInfo(results).Length > 0 ? ChildOf(parent.Id) : null);
        Assert.Contains($"{CampaignProcess.Gen0BudgetVariable}=0x8000000",
            File.ReadAllText($"/proc/{child}/environ").Split('\0'));

        Assert.Equal(0, Kill(parent.Id, 15));
        Assert.True(parent.WaitForExit(TimeSpan.FromMinutes(1)), "the parent did not end after SIGTERM");
        Assert.Equal(128 + 15, parent.ExitCode);
        Assert.True(IsGone(child), $"the child {child} still runs after its parent ended; stderr: {stderr.Result}");
    }

    [LinuxFact]
    public void A_child_whose_parent_is_killed_outright_is_killed_too()
    {
        using var dir = new TempDir();
        var results = dir.File("results.jsonl");
        using var parent = Process.Start(StartInfo(
            ["chaos", Path.Combine(CliRunner.RepoRoot, "configs/topologies/rdma-seed.conf"), "--runs", "100000000", "--no-shrink", "--out", results],
            optOut: false))!;
        _ = parent.StandardError.ReadToEndAsync();
        _ = parent.StandardOutput.ReadToEndAsync();
        var child = WaitFor(() => File.Exists(results) && new FileInfo(results).Length > 0 ? ChildOf(parent.Id) : null);

        parent.Kill(); // SIGKILL: the parent cannot pass anything on
        Assert.True(parent.WaitForExit(TimeSpan.FromMinutes(1)));
        WaitFor(() => IsGone(child) ? 0 : null);
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> args, bool optOut)
    {
        var info = new ProcessStartInfo(Program)
        {
            WorkingDirectory = CliRunner.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // Whatever the test host was started with: the parent must decide by itself.
        info.Environment.Remove(CampaignProcess.Gen0BudgetVariable);
        info.Environment.Remove("COMPlus_GCgen0size");
        if (optOut) info.Environment[CampaignProcess.OptOutVariable] = "off";
        else info.Environment.Remove(CampaignProcess.OptOutVariable);
        return info;
    }

    private static (int Exit, string Output) Start(IEnumerable<string> args, bool optOut)
    {
        using var process = Process.Start(StartInfo(args, optOut))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 3 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The results lines with their one wall-clock field removed, sorted (lines are written as runs finish).</summary>
    private static List<string> WithoutWallClock(string file) =>
        File.ReadLines(file).Select(line => System.Text.RegularExpressions.Regex.Replace(line, @",""wallMs"":[0-9.eE+-]+", "")).Order(StringComparer.Ordinal).ToList();

    /// <summary>Whether <paramref name="pid"/> has ended (a zombie not yet reaped by whoever adopted it counts).</summary>
    private static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true; // DirectoryNotFoundException and FileNotFoundException: no such process
        }
    }

    /// <summary>The one child process of <paramref name="pid"/>, if it has one.</summary>
    private static int? ChildOf(int pid)
    {
        var children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return children.Length == 1 ? int.Parse(children[0], System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Polls <paramref name="probe"/> until it gives a value (at most a minute: a process starting or ending on a loaded machine).</summary>
    private static int WaitFor(Func<int?> probe)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (probe() is { } value) return value;
            Thread.Sleep(50);
        }
        throw new TimeoutException("what the test waited for did not happen within a minute");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
#pragma warning disable SYSLIB1054 // a test: no source-generated marshalling needed for two ints
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}

/// <summary>A fact about what only Linux does; skipped, with that reason, elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "the campaign relaunch is done on Linux only";
    }
}
