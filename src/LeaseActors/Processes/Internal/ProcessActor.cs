using LeaseActors.Internal;
using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Kernel;
using LeaseActors.Kernel.Internal;
using LeaseActors.Simulation;
using LeaseActors.Tracing;

namespace LeaseActors.Processes.Internal;

/// <summary>
/// An emulated process. Owns its credentials, process group, threads and the programs they run, its fd table
/// (fd → description handle, FD_CLOEXEC) and the names its program gave fds, its mappings, its signal actions,
/// blocked mask and pending signals, and the syscalls in progress. Accepts <see cref="Process.Execute"/>,
/// <see cref="StartProgram"/>, <see cref="DeliverSignal"/>, <see cref="InstallFd"/>, <see cref="OpenThroughFd"/>
/// (an open of <c>/proc/&lt;pid&gt;/fd/&lt;n&gt;</c>, passed on to the file's lease manager) and the replies of the
/// actors its syscalls talk to; runs signal handlers as <see cref="SignalHandlerActor"/> children under its
/// supervision. After exit it stays as a zombie that answers every syscall with ESRCH.
/// </summary>
internal sealed partial class ProcessActor : MessageActor, IWithTimers
{
    private readonly string _name;
    private readonly int _pid;
    private readonly IActorRef _kernel;
    private readonly KernelTrace _trace;
    private readonly ulong _seed;

    /// <summary>The process's own seeded stream (the order its fds close at exit), created when first drawn from.</summary>
    private DeterministicRandom? _random;
    private readonly bool _exitAtEnd;
    private readonly HandlerFaultPolicy _faultPolicy;
    private readonly int _sigPendingLimit;
    private readonly KernelPolicy _policy;
    private readonly Chaos.ChaosInjector _chaos;
    private long _chaosTimers;

    /// <summary>A signal whose delivery the chaos plan delayed.</summary>
    private sealed record DelayedSignal(DeliverSignal Signal);

    /// <summary>A syscall whose effect the chaos plan delayed.</summary>
    private sealed record DelayedDispatch(long CallId);
    // The fd table is an array indexed by fd; the collections after it are created on first use, so that an idle
    // process costs little (docs/performance/2026-11-27-scale).
    private readonly FdTable<FdEntry> _fds = new();
    private Dictionary<string, int>? _fdNames;
    private SortedDictionary<long, Mapping>? _mappings;
    /// <summary>The process's threads, the main thread first; an array (not a list) since most processes have one.</summary>
    private ThreadState[] _threads;
    private Dictionary<long, PendingCall>? _calls;
    private Creds _creds;
    private int _pgid;
    private long _nextCall = 1;
    private long _nextAddress = 0x7f0000000000;
    private LifeState _state = LifeState.Created;

    private enum LifeState { Created, Running, Exiting, Zombie }

    private sealed record FdEntry(OfdHandle? Ofd, bool Cloexec)
    {
        /// <summary>stdin, stdout and stderr of a new process image: occupied, with no description behind them.</summary>
        public static readonly FdEntry Stdio = new(null, false);
    }

    private Dictionary<string, int> FdNames => _fdNames ??= new(StringComparer.Ordinal);

    private SortedDictionary<long, Mapping> Mappings => _mappings ??= [];

    private Dictionary<long, PendingCall> Calls => _calls ??= [];

    private sealed record Mapping(string Name, long Address, OfdHandle Ofd);

    private sealed record Continue(int Tid);

    private sealed record SleepOver(int Tid);

    /// <summary>What every process of one kernel is created with: created once by the kernel, not once per process.</summary>
    internal sealed record Settings(IActorRef Kernel, HandlerFaultPolicy FaultPolicy, int SigPendingLimit, KernelTrace Trace, KernelPolicy Policy, Chaos.ChaosSettings? Chaos);

    public ProcessActor(string name, int pid, ImmutableArray<Step> program, ProcessImage image, bool exitAtEnd, ulong seed, Settings settings)
    {
        _policy = settings.Policy;
        _chaos = Chaos.ChaosInjector.For(settings.Chaos, name, settings.Trace);
        _name = name;
        _pid = pid;
        _kernel = settings.Kernel;
        _trace = settings.Trace;
        _seed = seed;
        _exitAtEnd = exitAtEnd;
        _faultPolicy = settings.FaultPolicy;
        _sigPendingLimit = settings.SigPendingLimit;
        _creds = image.Creds;
        _pgid = image.Pgid ?? pid;
        // A new process image has stdin, stdout and stderr; the first open gets fd 3, as on Linux.
        if (image.Fds.IsDefaultOrEmpty)
            for (var fd = 0; fd < 3; fd++) _fds[fd] = FdEntry.Stdio;
        else
            foreach (var (fd, ofd, cloexec) in image.Fds) _fds[fd] = new FdEntry(ofd, cloexec);
        foreach (var (fdName, fd) in image.FdNames) FdNames[fdName] = fd;
        foreach (var (mapName, address, ofd) in image.Mappings) Mappings[address] = new Mapping(mapName, address, ofd);
        foreach (var (signo, action) in image.Actions) Actions[signo] = action;
        foreach (var signo in image.Blocked) BlockedSet.Add(signo);
        _threads = [new ThreadState(name, pid, program)];

        Receive<StartProgram>(_ =>
        {
            if (_state != LifeState.Created) return;
            _state = LifeState.Running;
            ScheduleContinue(MainThread);
        });
        Receive<Continue>(m =>
        {
            var thread = FindThread(m.Tid);
            if (thread is null) return;
            thread.ContinueScheduled = false;
            Advance(thread);
        });
        Receive<SleepOver>(m =>
        {
            var thread = FindThread(m.Tid);
            if (thread?.Waiting is { UntilTicks: not null } wait && Now >= wait.UntilTicks)
            {
                thread.Waiting = null;
                StepDone(thread, wait.Step);
            }
        });
        Receive<Process.Execute>(OnExecute);
        Receive<Reply>(OnReply);
        Receive<Blocked>(m =>
        {
            if (_calls?.TryGetValue(m.CallId, out var call) == true)
            {
                call.BlockedAt = Sender;
                ProcessSignals();
            }
        });
        Receive<WaitCancelled>(OnWaitCancelled);
        Receive<InstallFd>(m =>
        {
            var fd = LowestFreeFd();
            _fds[fd] = new FdEntry(m.Ofd, false);
            FdNames[m.Name] = fd;
            _trace.FdInstalled(_name, fd, m.Ofd.Id.Value, m.Ofd.Path, "setup");
        });
        Receive<OpenThroughFd>(m =>
        {
            // Another process (or this one) opens /proc/<pid>/fd/<n>: follow the link to the file this fd refers to.
            if (!_fds.TryGetValue(m.Fd, out var entry) || entry.Ofd is null)
                m.Open.ReplyTo.Tell(new Reply(m.Open.CallId, SyscallResult.Fail(Errno.ENOENT)));
            else if (entry.Ofd.Type == FileType.Socket)
                m.Open.ReplyTo.Tell(new Reply(m.Open.CallId, SyscallResult.Fail(Errno.ENXIO)));
            else
                entry.Ofd.Manager.Tell(m.Open);
        });
        Receive<DelayedSignal>(m => DeliverNow(m.Signal));
        Receive<DelayedDispatch>(m =>
        {
            if (_calls?.TryGetValue(m.CallId, out var call) == true) Dispatch(call);
        });
        Receive<SignalIfHolding>(m =>
        {
            // mr-holds-lease: the kernel tells every process; those holding a region's verbs context get the break.
            if (_state is LifeState.Exiting or LifeState.Zombie) return;
            if (!_fds.Values.Any(e => e.Ofd is { } o && m.Contexts.Contains(o.Id))) return;
            var reason = "layout lease break on " + m.Path + " (holder of the region's verbs context)";
            _trace.SignalSentToContextHolder(_name, Signals.Sig.SIGIO, m.Leased.Value, reason);
            OnSignal(new DeliverSignal(Signals.Sig.SIGIO, new Signals.SigInfo(Signals.Sig.SIGIO, Signals.Sig.SI_KERNEL, 0, 0), reason));
        });
        ReceiveSignals();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private long Now => _trace.Clock.NowTicks;

    private ThreadState MainThread => _threads[0];

    private DeterministicRandom CloseOrder => _random ??= new DeterministicRandom(_seed);

    /// <summary>
    /// Props of a process. Akka keeps a process's props for as long as it lives (to restart it), so they hold just its
    /// own arguments and the kernel's shared <paramref name="settings"/>, in one small producer (no closure and delegate).
    /// </summary>
    public static Props Props(string name, int pid, ProcessImage image, ImmutableArray<Step> program, bool exitAtEnd, ulong seed, Settings settings) =>
        Akka.Actor.Props.CreateBy(new Producer(name, pid, image, program, exitAtEnd, seed, settings));

    private sealed class Producer(string name, int pid, ProcessImage image, ImmutableArray<Step> program, bool exitAtEnd, ulong seed, Settings settings)
        : IIndirectActorProducer
    {
        public Type ActorType => typeof(ProcessActor);

        public ActorBase Produce() => new ProcessActor(name, pid, program, image, exitAtEnd, seed, settings);

        public void Release(ActorBase actor)
        {
            // Nothing to release: the actor owns no external resources.
        }
    }

    private ThreadState? FindThread(int tid) => Array.Find(_threads, t => t.Tid == tid && t.Alive);

    private void ScheduleContinue(ThreadState thread)
    {
        if (thread.ContinueScheduled || !thread.Alive) return;
        thread.ContinueScheduled = true;
        Self.Tell(new Continue(thread.Tid));
    }

    /// <summary>Runs the thread's next step, or the next external request, when the thread is free to.</summary>
    private void Advance(ThreadState thread)
    {
        if (_state != LifeState.Running || !thread.Alive || thread.InHandler || thread.Current is not null || thread.Waiting is not null) return;
        if (thread.TryDequeueExternal(out var external))
        {
            Issue(thread, external.Request.Call, CallSource.External, null, external.ReplyTo, external.Request.RequestId);
            return;
        }
        if (thread.Pc >= thread.Program.Length)
        {
            if (thread.Tid == _pid)
            {
                if (_exitAtEnd && thread.Program.Length > 0) BeginExit(0, null);
            }
            else
            {
                EndThread(thread);
            }
            return;
        }
        var step = thread.Program[thread.Pc];
        RunStep(thread, step, CallSource.Program);
    }

    /// <summary>Runs one program or handler step on <paramref name="thread"/>.</summary>
    private void RunStep(ThreadState thread, Step step, CallSource source)
    {
        if (source == CallSource.Program && thread.Tid == _pid && _chaos.Active
            && _chaos.CrashBefore(_name, step.Label, thread.Program.Length, $"step {thread.Pc}" + (step.Label is { } l ? $" [{l}]" : "")))
        {
            // Chaos: the process dies before this step, as if killed by SIGKILL.
            _trace.SignalDelivered(_name, new Signals.SigInfo(Signals.Sig.SIGKILL, Signals.Sig.SI_KERNEL, 0, 0), "killed (chaos crash)");
            BeginExit(128 + Signals.Sig.SIGKILL, Signals.Sig.SIGKILL);
            return;
        }
        switch (step)
        {
            case CallStep call:
                Issue(thread, call.Call, source, call.Label);
                break;
            case SleepStep when source == CallSource.Handler:
                StepDone(thread, step, source); // the handler actor sleeps itself; never sent here
                break;
            case SleepStep sleep:
                var until = Now + sleep.Duration.Ticks;
                thread.Waiting = new ProgramWait(step, until, null);
                _trace.Clock.StartTimer(Timers, "sleep-" + thread.Tid, new SleepOver(thread.Tid), sleep.Duration);
                break;
            case LabelStep label:
                Reach(label.Name);
                StepDone(thread, step, source);
                break;
            case WaitForStep when source == CallSource.Handler:
                // Handlers do not wait for other processes (topologies reject it); the step does nothing.
                StepDone(thread, step, source);
                break;
            case WaitForStep wait:
                var id = _nextCall++;
                thread.Waiting = new ProgramWait(step, null, id);
                _kernel.Tell(new AwaitLabel(id, Self, wait.Process, wait.Mark));
                break;
            case FaultStep fault:
                _trace.Record("process.fault", ("process", _name), ("message", fault.Message));
                BeginExit(128 + Signals.Sig.SIGSEGV, Signals.Sig.SIGSEGV);
                break;
            default:
                throw new InvalidOperationException($"Unknown step {step.GetType().Name}.");
        }
    }

    /// <summary>A step finished: mark its label and go on (a program step) or tell the handler (a handler step).</summary>
    private void StepDone(ThreadState thread, Step step, CallSource source = CallSource.Program)
    {
        if (step.Label is { } label) Reach(label);
        if (source == CallSource.Handler)
        {
            if (_handler is { } h && h.Thread == thread) h.Actor?.Tell(new SignalHandlerActor.StepDone(SyscallResult.Ok()));
            return;
        }
        thread.Pc++;
        ScheduleContinue(thread);
    }

    private void Reach(string label)
    {
        _trace.LabelReached(_name, label);
        _kernel.Tell(new ReachLabel(_name, label));
    }

    private int LowestFreeFd(int from = 0)
    {
        var fd = from;
        while (_fds.ContainsKey(fd)) fd++;
        return fd;
    }

    private Creds Creds => _creds;
}
