using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using LeaseActors.Conformance.Observation;
using LeaseActors.Conformance.Plans;
using LeaseActors.Files;

namespace LeaseActors.Conformance.Real;

/// <summary>
/// Runs a plan's topology on the machine's Linux kernel: creates its files in a fresh temporary folder, sets the
/// lease sysctls for the run (<see cref="SysctlGuard"/>), starts the C worker with the compiled script, reads its
/// events into a <see cref="RawTrace"/>, and ends the run when every process has exited or the horizon (at most
/// <see cref="MaxRunTime"/>) has passed.
/// </summary>
public sealed class RealKernelExecutor
{
    /// <summary>The longest a real run may take, whatever the topology's horizon.</summary>
    public static readonly TimeSpan MaxRunTime = TimeSpan.FromMinutes(2);

    private readonly SysctlPaths? _sysctls;

    /// <summary>An executor using the machine's sysctls (or <paramref name="sysctls"/>, for tests).</summary>
    public RealKernelExecutor(SysctlPaths? sysctls = null) => _sysctls = sysctls;

    /// <summary>Runs <paramref name="plan"/> once.</summary>
    /// <exception cref="KernelUnavailableException">The real kernel cannot be used here.</exception>
    /// <exception cref="UnsupportedTopologyException">The topology uses something the worker does not run.</exception>
    public RawTrace Run(ConformancePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (KernelEnvironment.Problem() is { } problem) throw new KernelUnavailableException(problem);
        var options = plan.Topology.Scenario.Options;
        if (options.LeaseBreakTime.Ticks % TimeSpan.TicksPerSecond != 0)
            throw new UnsupportedTopologyException($"{plan.Original.Name}: lease-break-time {options.LeaseBreakTime} is not whole seconds, the unit of /proc/sys/fs/lease-break-time");
        var worker = WorkerBinary.Ensure();
        var root = Directory.CreateTempSubdirectory("leaseactors-conform-").FullName;
        try
        {
            var script = WorkerScript.Compile(plan, root);
            if (OperatingSystem.IsWindows()) throw new KernelUnavailableException("not Linux");
            CreateFiles(plan, script, root);
            using var guard = SysctlGuard.Acquire((long)options.LeaseBreakTime.TotalSeconds, options.LeasesEnable, _sysctls);
            var horizon = plan.Topology.Horizon < MaxRunTime ? plan.Topology.Horizon : MaxRunTime;
            var lines = RunWorker(worker, script.Text, horizon, out var killSentUs);
            return Parse(plan, script, lines, killSentUs, options.LeaseBreakTime);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CreateFiles(ConformancePlan plan, WorkerScript script, string root)
    {
        // Parent folders of every path the topology names (files, and targets of O_CREAT, rename, link), world-writable.
        foreach (var path in script.Paths)
        {
            var dir = Path.GetDirectoryName(WorkerScript.Under(root, path));
            if (dir is null) continue;
            Directory.CreateDirectory(dir);
            for (var d = new DirectoryInfo(dir); d is not null && d.FullName.Length > root.Length; d = d.Parent)
                File.SetUnixFileMode(d.FullName, (UnixFileMode)0x1FF);
        }
        File.SetUnixFileMode(root, (UnixFileMode)0x1FF);
        foreach (var file in plan.Topology.Scenario.Files)
        {
            var path = WorkerScript.Under(root, file.Path);
            switch (file.Type)
            {
                case FileType.Directory:
                    Directory.CreateDirectory(path);
                    File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
                    break;
                case FileType.Pipe:
                    if (Native.Mkfifo(path, 0x1B6) != 0) throw new IOException($"mkfifo {path} failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
                    File.SetUnixFileMode(path, (UnixFileMode)0x1B6);
                    break;
                default:
                    using (var f = new FileStream(path, FileMode.Create, FileAccess.Write)) f.SetLength(file.Size);
                    File.SetUnixFileMode(path, (UnixFileMode)0x1B6); // 0666: emulated opens never fail on permissions
                    break;
            }
            if (Native.Chown(path, file.OwnerUid, -1) != 0) throw new IOException($"chown {path} failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        }
    }

    private static List<string> RunWorker(string worker, string script, TimeSpan horizon, out long killSentUs)
    {
        var start = new ProcessStartInfo(worker)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new KernelUnavailableException($"cannot start the worker {worker}");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(script);
        process.StandardInput.Flush();
        var lines = new List<string>();
        var queue = new System.Collections.Concurrent.BlockingCollection<string?>();
        var reader = Task.Run(() =>
        {
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null) queue.Add(line);
            queue.Add(null);
        });
        killSentUs = long.MaxValue;
        var wall = Stopwatch.StartNew();
        var deadline = TimeSpan.MaxValue;
        long t0 = -1;
        var killed = false;
        while (true)
        {
            var remaining = deadline == TimeSpan.MaxValue ? TimeSpan.FromSeconds(1) : deadline - wall.Elapsed;
            if (remaining < TimeSpan.Zero) remaining = TimeSpan.Zero;
            if (queue.TryTake(out var line, remaining))
            {
                if (line is null) break;
                lines.Add(line);
                if (line.StartsWith("T ", StringComparison.Ordinal))
                {
                    t0 = long.Parse(line.AsSpan(2), CultureInfo.InvariantCulture);
                    deadline = wall.Elapsed + horizon;
                }
                continue;
            }
            if (!killed && (wall.Elapsed >= deadline || (t0 < 0 && wall.Elapsed > TimeSpan.FromSeconds(30))))
            {
                killed = true;
                killSentUs = Monotonic.NowUs();
                try
                {
                    process.StandardInput.Write("K\n");
                    process.StandardInput.Flush();
                }
                catch (IOException) { }
            }
            if (wall.Elapsed > horizon + TimeSpan.FromSeconds(60)) { process.Kill(entireProcessTree: true); break; }
        }
        try { process.StandardInput.Close(); } catch (IOException) { }
        process.WaitForExit();
        reader.Wait();
        if (process.ExitCode != 0 || lines.Count == 0 || lines[^1] != "D")
            throw new InvalidOperationException($"the worker failed (exit {process.ExitCode}): {stderr.Result.Trim()}");
        return lines;
    }

    private static RawTrace Parse(ConformancePlan plan, WorkerScript script, List<string> lines, long killSentUs, TimeSpan leaseBreakTime)
    {
        var processes = new List<RawProcess>();
        var steps = new List<RawStep>();
        var signals = new List<RawSignal>();
        var exitTimes = new List<(int Index, long AtUs, long Seq)>();
        var statuses = new Dictionary<int, int>();
        var open = new Dictionary<(int, int), (long Seq, long EnterUs)>();
        var pids = new Dictionary<int, int>();
        long t0 = 0, end = 0;
        string Name(int index) => plan.Processes[index].Name;
        for (var seq = 0; seq < lines.Count; seq++)
        {
            var f = lines[seq].Split(' ');
            long N(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
            switch (f[0])
            {
                case "T": t0 = N(1); break;
                case "B":
                    pids[(int)N(1)] = (int)N(2);
                    processes.Add(new RawProcess(Name((int)N(1)), (int)N(2), plan.Processes[(int)N(1)].Parent, seq));
                    break;
                case "E": open[((int)N(1), (int)N(2))] = (seq, N(3)); break;
                case "R":
                {
                    var key = ((int)N(1), (int)N(2));
                    if (!open.Remove(key, out var entered)) break;
                    var errno = (int)N(5);
                    var values = f.Length > 6 ? f.Skip(6).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToImmutableArray() : [N(4)];
                    steps.Add(new RawStep(Name(key.Item1), script.LabelOf(key.Item2), entered.Seq, entered.EnterUs, N(3), N(4), errno == 0 ? null : ErrnoNames.Of(errno), values) { ExitSeq = seq });
                    end = Math.Max(end, N(3));
                    break;
                }
                case "G":
                    signals.Add(new RawSignal(Name((int)N(1)), seq, N(2), (int)N(3), (int)N(4), (int)N(5), false) { Band = N(6) });
                    break;
                case "X":
                    exitTimes.Add(((int)N(1), N(2), seq));
                    end = Math.Max(end, N(2));
                    break;
                case "Z": statuses[(int)N(1)] = (int)N(2); break;
            }
        }
        foreach (var ((index, label), entered) in open)
            steps.Add(new RawStep(Name(index), script.LabelOf(label), entered.Seq, entered.EnterUs, null, 0, null, []) { ExitSeq = entered.Seq });
        var exits = new List<RawExit>();
        foreach (var (index, atUs, seq) in exitTimes)
        {
            var atEnd = atUs >= killSentUs;
            int? status = null, signal = null;
            if (pids.TryGetValue(index, out var pid) && statuses.TryGetValue(pid, out var raw))
            {
                if ((raw & 0x7f) == 0) status = (raw >> 8) & 0xff;
                else signal = raw & 0x7f;
            }
            if (signal is { } s && !atEnd) signals.Add(new RawSignal(Name(index), seq, atUs, s, 0, 0, true));
            exits.Add(new RawExit(Name(index), atUs, status, signal, atEnd));
        }
        long Rel(long us) => us - t0;
        return new RawTrace
        {
            Executor = "kernel",
            Processes = [.. processes],
            Steps = [.. steps.OrderBy(s => s.Seq).Select(s => s with { EnterUs = Rel(s.EnterUs), ExitUs = s.ExitUs is { } x ? Rel(x) : null })],
            Signals = [.. signals.Select(s => s with { AtUs = Rel(s.AtUs) })],
            Exits = [.. exits.Select(e => e with { AtUs = Rel(e.AtUs) })],
            EndUs = Rel(Math.Max(end, t0)),
            LeaseBreakTime = leaseBreakTime,
            KernelRelease = KernelEnvironment.Release(),
        };
    }
}

/// <summary>CLOCK_MONOTONIC in microseconds, the worker's clock (Stopwatch uses it on Linux).</summary>
internal static class Monotonic
{
    public static long NowUs() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));
}

/// <summary>Linux errno names for the numbers the worker reports.</summary>
internal static class ErrnoNames
{
    private static readonly Dictionary<int, string> Names = new()
    {
        [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [6] = "ENXIO", [9] = "EBADF", [10] = "ECHILD",
        [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES", [14] = "EFAULT", [16] = "EBUSY", [17] = "EEXIST",
        [19] = "ENODEV", [20] = "ENOTDIR", [21] = "EISDIR", [22] = "EINVAL", [24] = "EMFILE", [26] = "ETXTBSY",
        [32] = "EPIPE", [35] = "EDEADLK", [38] = "ENOSYS", [88] = "ENOTSOCK", [95] = "EOPNOTSUPP",
    };

    public static string Of(int errno) => Names.TryGetValue(errno, out var n) ? n : "errno " + errno.ToString(CultureInfo.InvariantCulture);
}
