using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace LeaseActors.Campaigns;

/// <summary>
/// The garbage collector's setting for a process that runs campaigns, and a relaunch of the current program with it.
/// </summary>
/// <remarks>
/// <para>
/// A campaign run allocates about 170 KB and keeps almost none of it (a gen-0 collection promotes 35–75 KB). On the
/// project's 2-core machines the runtime chooses a gen-0 budget of 5 MB, so a two-worker campaign collects about 190
/// times a second, and each collection stops both workers for 0.5–0.8 ms whatever it finds: 16% of the wall time went
/// to pauses, which is what kept <c>--parallel 2</c> from scaling (docs/performance/2026-11-27-campaign-gc). With a
/// 128 MiB budget per heap it collects about 15 times a second and pauses for 2% of the time.
/// </para>
/// <para>
/// The budget can only be set before the runtime starts, by the environment variable <c>DOTNET_GCgen0size</c>
/// (<c>runtimeconfig.json</c> has no key for it), so a program that runs campaigns starts itself again with the
/// variable set, the way <c>leaseactors chaos</c>, <c>explore</c> and <c>worker</c> do. The child inherits the
/// standard streams (a terminal stays a terminal, for the progress bar); SIGINT, SIGTERM, SIGQUIT and SIGHUP sent to
/// the parent are passed on to it, and its exit status is the parent's; if the parent is killed outright
/// (<c>kill -9</c>), the kernel kills the child too (<c>PR_SET_PDEATHSIG</c>), so a killed campaign or cluster worker
/// stops as it did before the relaunch. Nothing is relaunched when the variable is
/// already set (by the user, or because this is the child), when <c>LEASEACTORS_GC_TUNING=off</c>, when a diagnostics
/// tool started the program (<c>DOTNET_DiagnosticPorts</c>), or off Linux. A child started through <c>dotnet</c> gets
/// the entry assembly's path but not the host's own options (<c>dotnet exec --runtimeconfig …</c>).
/// </para>
/// </remarks>
public static partial class CampaignProcess
{
    /// <summary>The environment variable that sets the runtime's minimum gen-0 budget, per heap, in bytes (hexadecimal).</summary>
    public const string Gen0BudgetVariable = "DOTNET_GCgen0size";

    /// <summary>The gen-0 budget a relaunch sets: 128 MiB per heap.</summary>
    public const long CampaignGen0Budget = 128L << 20;

    /// <summary>Set to <c>off</c> to run campaigns in the process that was started, with the runtime's own budget.</summary>
    public const string OptOutVariable = "LEASEACTORS_GC_TUNING";

    /// <summary>Set in a relaunched child's environment: the pid of the parent that waits for it.</summary>
    private const string ParentVariable = "LEASEACTORS_CAMPAIGN_PARENT";

    /// <summary>The signals a waiting parent passes on to its child, with their Linux numbers.</summary>
    private static readonly (PosixSignal Signal, int Number)[] Forwarded =
        [(PosixSignal.SIGINT, 2), (PosixSignal.SIGTERM, 15), (PosixSignal.SIGQUIT, 3), (PosixSignal.SIGHUP, 1)];

    /// <summary>
    /// The gen-0 budget this process's runtime was started with, if the environment set one (<c>DOTNET_GCgen0size</c>
    /// or its older spelling <c>COMPlus_GCgen0size</c>), else null.
    /// </summary>
    public static long? Gen0Budget
    {
        get
        {
            foreach (var name in new[] { Gen0BudgetVariable, "COMPlus_GCgen0size" })
            {
                var value = Environment.GetEnvironmentVariable(name);
                if (string.IsNullOrWhiteSpace(value)) continue;
                var digits = value.Trim();
                if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
                return long.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
            }
            return null;
        }
    }

    /// <summary>
    /// Whether <see cref="RelaunchWithCampaignBudget"/> would start a child: on Linux, with no budget in the
    /// environment (see <see cref="Gen0Budget"/>; a set but unreadable value counts as set) and no opt-out.
    /// </summary>
    public static bool ShouldRelaunch =>
        OperatingSystem.IsLinux()
        && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Gen0BudgetVariable))
        && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("COMPlus_GCgen0size"))
        && !string.Equals(Environment.GetEnvironmentVariable(OptOutVariable), "off", StringComparison.OrdinalIgnoreCase)
        // Started by dotnet-trace or dotnet-counters: a child would inherit the port, wait there for a resume command
        // that never comes, and the tool would trace the idle parent. Run in this process, which the tool sees.
        && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DOTNET_DiagnosticPorts"))
        && Environment.ProcessPath is not null;

    /// <summary>
    /// How the current program is started again with <paramref name="args"/> and the campaign budget: the same
    /// executable (an app host, or <c>dotnet</c> with the entry assembly's path first), the same working directory, the
    /// inherited environment plus <see cref="Gen0BudgetVariable"/>, and the standard streams inherited.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the path of the running executable is not known");
        var info = new ProcessStartInfo(host) { UseShellExecute = false, WorkingDirectory = Environment.CurrentDirectory };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.Ordinal))
            info.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment[Gen0BudgetVariable] = "0x" + CampaignGen0Budget.ToString("X", CultureInfo.InvariantCulture);
        info.Environment[ParentVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        return info;
    }

    /// <summary>
    /// Runs the current program again with <paramref name="args"/> and the campaign budget, waits for it, and returns
    /// its exit status (128 + the signal's number if a signal ended it); null, having started nothing, when
    /// <see cref="ShouldRelaunch"/> is false or the child could not be started (the caller then runs the command
    /// itself). When a signal the parent passed on ended the child, the parent ends by the same signal, as the program
    /// would have without the relaunch (a shell stops a loop when a command dies of SIGINT, not when it exits 130).
    /// Called in a relaunched child, it returns null having asked the kernel to kill the child when its parent dies.
    /// </summary>
    public static int? RelaunchWithCampaignBudget(IEnumerable<string> args)
    {
        if (!ShouldRelaunch)
        {
            DieWithParentIfRelaunched();
            return null;
        }
        var relay = new SignalRelay();
        var registrations = new List<PosixSignalRegistration>();
        try
        {
            foreach (var (signal, number) in Forwarded)
                registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true; // the child decides: it gets the signal now, or as soon as it has started
                    relay.Signal(number);
                }));
            Process? child;
            try
            {
                child = Process.Start(StartInfo(args));
            }
            catch (System.ComponentModel.Win32Exception)
            {
                child = null;
            }
            if (child is null)
            {
                // A signal that came while starting was held back for a child that does not exist: take it now.
                if (relay.Pending is { } pending) Die(pending, registrations);
                return null;
            }
            using (child)
            {
                relay.Started(child.Id);
                child.WaitForExit();
                relay.Exited();
                var exit = child.ExitCode;
                if (relay.Last is { } signal && exit == 128 + signal) Die(signal, registrations);
                return exit;
            }
        }
        finally
        {
            foreach (var registration in registrations) registration.Dispose();
        }
    }

    /// <summary>
    /// Passes signals on to the child: at once while it runs, held back until it has started, and never after it has
    /// been waited for (its pid may then belong to another process). Handlers run on the runtime's signal thread.
    /// </summary>
    private sealed class SignalRelay
    {
        private readonly Lock _gate = new();
        private int _pid;
        private bool _exited;

        /// <summary>A signal that came before the child started, to pass on when it has.</summary>
        public int? Pending { get; private set; }

        /// <summary>The last signal passed on (or held back).</summary>
        public int? Last { get; private set; }

        public void Signal(int number)
        {
            lock (_gate)
            {
                Last = number;
                if (_exited) return;
                if (_pid == 0) Pending = number;
                else _ = Kill(_pid, number);
            }
        }

        public void Started(int pid)
        {
            lock (_gate)
            {
                _pid = pid;
                if (Pending is { } pending) _ = Kill(pid, pending);
            }
        }

        public void Exited()
        {
            lock (_gate) _exited = true;
        }
    }

    /// <summary>Ends this process by <paramref name="signal"/> with its default action, after the runtime's handlers are gone.</summary>
    private static void Die(int signal, List<PosixSignalRegistration> registrations)
    {
        foreach (var registration in registrations) registration.Dispose();
        Console.Out.Flush();
        Console.Error.Flush();
        const nint SIG_DFL = 0;
        _ = SetSignalAction(signal, SIG_DFL);
        _ = Kill(Environment.ProcessId, signal);
        // Not reached: the default action of SIGINT, SIGTERM, SIGQUIT and SIGHUP ends the process.
    }

    /// <summary>
    /// In a child this class started: the kernel sends it SIGKILL when the parent's waiting thread ends
    /// (prctl(2) PR_SET_PDEATHSIG), and if the parent is already gone (it died while this process started), it ends
    /// at once. The variable is removed first, so that no process this one starts takes it for its own.
    /// </summary>
    private static void DieWithParentIfRelaunched()
    {
        if (!OperatingSystem.IsLinux()) return;
        var value = Environment.GetEnvironmentVariable(ParentVariable);
        if (value is null) return;
        Environment.SetEnvironmentVariable(ParentVariable, null);
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parent)) return;
        const int PR_SET_PDEATHSIG = 1, SIGKILL = 9;
        _ = Prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        // Checked after prctl: a parent that died before it left this process re-parented, and no signal will come.
        if (GetParentPid() != parent) Environment.Exit(128 + SIGKILL);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint SetSignalAction(int signal, nint action);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
