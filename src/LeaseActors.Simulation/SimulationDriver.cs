using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;
using Akka.Routing;
using LeaseActors.Simulation.Dispatch;
using LeaseActors.Simulation.Internal;
using LeaseActors.Simulation.Strategies;
using LeaseActors.Simulation.Time;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation;

/// <summary>
/// Runs actor subtrees deterministically, one run at a time, on the thread that calls <see cref="Run"/>: one
/// mailbox turn per step, the next mailbox picked by a seeded strategy, and virtual time that jumps to the next
/// timer when nothing is ready.
/// </summary>
/// <remarks>
/// <para>A driver owns a dispatcher of its own and a long-lived host actor; each run's root actor is created
/// under the host and stopped when the run ends, so one <see cref="ActorSystem"/> serves any number of runs.
/// Every descendant of the host is deployed on the driver's dispatcher, so actors created with plain
/// <see cref="Props"/> need no changes. Several drivers run in parallel in one system without affecting each
/// other's results: give each its own thread.</para>
/// <para>Everything a run does stays on the driver's thread. A call that reaches the run from another thread
/// (a leak: Ask timeouts, <c>Task.Delay</c>, <c>PipeTo</c> of an outside task…) is counted and reported in
/// <see cref="RunResult.Leaks"/>. Between runs, calls from other threads (the guardian creating or stopping the
/// host) run inline on the calling thread, so neither start-up nor <see cref="ActorSystem.Terminate"/> waits for
/// a pump.</para>
/// </remarks>
public sealed class SimulationDriver : IReadyView, IDisposable
{
    [ThreadStatic] private static SimulationDriver? t_current;
    [ThreadStatic] private static VirtualClock? t_clock;
    private static int s_drivers;

    private readonly ActorSystem _system;
    private readonly IActorRef _host;
    private readonly ManualResetEventSlim _hostStartedEvent = new(false);
    private readonly ConcurrentQueue<ForeignCall> _foreign = new();
    private readonly Dictionary<Mailbox, ActorEntry> _actors = new(ReferenceEqualityComparer.Instance);
    private readonly ReadySet _ready = new();
    private readonly VirtualClock _clock = new();
    private Func<TimeSpan>? _now;
    private int _lastTraceEvents;
    private readonly RandomStrategy _defaultStrategy = new();
    private readonly List<int> _choices = [];
    private readonly List<string> _leaks = [];
    private readonly List<string> _failures = [];
    private readonly List<string> _deadLetterSamples = [];
    private readonly HashSet<ActorCell> _runCells = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _lateLeaks = [];
    private ActorCell? _hostCell;
    private long _lateLeakCount;
    private bool _deliveringLate;
    private readonly DeadLetterCounter _deadLetterCounter;

    private int _owner; // 0 = free, 1 = a thread is pumping this driver
    private volatile Phase _phase = Phase.Idle;
    private int _nextKey;
    private long _steps;
    private long _timersFired;
    private int _deadLetters;
    private IActorRef? _root;
    private bool _rootTerminated;
    private bool _hostStopped;
    private bool _disposed;

    private enum Phase { Idle, Running, TearingDown }

    private readonly record struct ActorEntry(int Key, ActorCell Cell);

    private enum ForeignKind { Task, Attach, Detach, Message, SystemMessage, Wake }

    /// <summary>A call from another thread, run on the driver's thread; <see cref="Payload"/> only describes it.</summary>
    private sealed record ForeignCall(Action Operation, ForeignKind Kind, bool DuringRun, IRunnable? Runnable = null,
        ActorCell? Cell = null, object? Payload = null);

    /// <summary>
    /// Creates a driver in <paramref name="system"/>, which must use <see cref="SimulationScheduler"/>
    /// (see <see cref="SimulationSetup"/>), and waits until its host actor has started.
    /// </summary>
    public SimulationDriver(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (system.Scheduler is not SimulationScheduler)
            throw new InvalidOperationException(
                $"The actor system '{system.Name}' uses {system.Scheduler.GetType().Name}; a simulation driver needs " +
                "LeaseActors.Simulation.SimulationScheduler (create the system with SimulationSetup.CreateSystem or use SimulationSetup.Config as a fallback).");
        _system = system;
        var number = Interlocked.Increment(ref s_drivers);
        Name = $"leaseactors-sim-{number}";
        DispatcherId = $"leaseactors.simulation.driver-{number}";

        var dispatchers = system.Dispatchers;
        var config = ConfigurationFactory.ParseString($"id = \"{DispatcherId}\"").WithFallback(dispatchers.DefaultDispatcherConfig);
        if (!dispatchers.RegisterConfigurator(DispatcherId, new SimulationDispatcherConfigurator(config, dispatchers.Prerequisites, this, DispatcherId)))
            throw new InvalidOperationException($"Dispatcher id {DispatcherId} is already registered.");
        var provider = ((ExtendedActorSystem)system).Provider;
        provider.Deployer.SetDeploy(new Deploy($"/{Name}/**", ConfigurationFactory.Empty, new DriverRouterConfig(DispatcherId),
            Deploy.NoScopeGiven, DispatcherId));

        _clock.TimerFailed = TimerFailed;
        _deadLetterCounter = new DeadLetterCounter(this, provider, new RootActorPath(provider.DefaultAddress) / "user" / (Name + "-dead-letters"));
        system.EventStream.Subscribe(_deadLetterCounter, typeof(DeadLetter));

        _host = system.ActorOf(Props.Create(() => new HostActor(this)).WithDispatcher(DispatcherId), Name);
        if (!_hostStartedEvent.Wait(TimeSpan.FromSeconds(30)))
            throw new InvalidOperationException($"The simulation host {Name} did not start within 30 s.");
        SimulationMailboxType.AddHost(Name); // from now on, the actors of its runs get the simulation's queue
    }

    /// <summary>The driver's name; its host actor is <c>/user/{Name}</c>.</summary>
    public string Name { get; }

    /// <summary>The id of the driver's own dispatcher.</summary>
    public string DispatcherId { get; }

    /// <summary>
    /// Messages and signals from other threads that reached actors of a run that had already ended: an outside task
    /// that outlived its run (a <c>Task.Delay</c> or Ask reply piped to an actor, the termination of a watched
    /// outside actor…), described like <see cref="RunResult.Leaks"/>. The run that caused them cannot be told, and
    /// the run during which they arrive is not affected, so they are counted here rather than in a run's result;
    /// any at all means that some earlier run on this driver was not deterministic. Keeps the first 100.
    /// </summary>
    public IReadOnlyList<string> LateLeaks
    {
        get
        {
            lock (_lateLeaks) return [.. _lateLeaks];
        }
    }

    /// <summary>How many late leaks (see <see cref="LateLeaks"/>) this driver has seen, including those not kept.</summary>
    public long LateLeakCount => Interlocked.Read(ref _lateLeakCount);

    /// <summary>The virtual clock of the run being driven on the current thread, or null on any other thread.</summary>
    internal static VirtualClock? ActiveClock => t_clock;

    /// <summary>
    /// Runs one simulation: creates the root actor from <paramref name="root"/> (given the run's context) under
    /// the host, drives it until quiescence, the horizon or the step limit, then stops it.
    /// </summary>
    /// <exception cref="SimulationLeakException">Calls reached the run from another thread and <see cref="RunOptions.ThrowOnLeak"/> is set.</exception>
    public RunResult Run(RunOptions options, Func<RunContext, Props> root)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(root);
        options.Validate();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (t_current == this) throw new InvalidOperationException("A simulation run cannot start another run on the same driver from inside itself.");

        Acquire();
        // A run may be driven from inside another driver's run (a model that simulates a sub-system); the outer
        // run's driver and clock come back when this one ends.
        var previous = t_current;
        var previousClock = t_clock;
        t_current = this;
        t_clock = _clock;
        // Actors must not see the caller's SynchronizationContext (a test framework's, a UI's): an await inside
        // ReceiveAsync would post its continuation there, to another thread, instead of to Akka's
        // ActorTaskScheduler, i.e. back into the run. On Akka's own dispatchers actors never see one either.
        var previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        RunResult result;
        try
        {
            if (_actors.Count != 1 || _ready.Count != 0)
                throw new InvalidOperationException($"Simulation engine bug: {_actors.Count - 1} actor(s) and {_ready.Count} ready task(s) left over from an earlier run.");
            ResetRunState();
            // A driver runs similar runs one after another (a campaign): room for the last run's events saves regrowing the list.
            _now ??= () => TimeSpan.FromTicks(_clock.NowTicks);
            var trace = new RunTrace(_now, _lastTraceEvents);
            var context = new RunContext(options.Seed, trace, _now);
            var strategy = options.Strategy ?? _defaultStrategy;
            strategy.Start(options.Seed);
            _phase = Phase.Running;

            RunEndReason endedBy;
            TimeSpan virtualTime;
            try
            {
                _host.Tell(new HostActor.StartRun(root(context)));
                endedBy = Drive(options, strategy);
                if (endedBy != RunEndReason.StepLimit) ReportSuspendedActors();
            }
            finally
            {
                trace.Seal();
                _lastTraceEvents = Math.Min(trace.Entries.Count, 4096);
                virtualTime = TimeSpan.FromTicks(_clock.NowTicks);
                _phase = Phase.TearingDown;
                TearDown();
            }

            result = new RunResult(options.Seed, endedBy, virtualTime, _steps, _timersFired,
                [.. _choices], trace, _deadLetters, [.. _deadLetterSamples], [.. _leaks], [.. _failures]);
        }
        finally
        {
            _phase = Phase.Idle;
            _runCells.Clear();
            _clock.Reset();
            SynchronizationContext.SetSynchronizationContext(previousContext);
            t_clock = previousClock;
            t_current = previous;
            Release();
        }
        if (options.ThrowOnLeak && result.Leaks.Length > 0) throw new SimulationLeakException(result);
        return result;
    }

    private void ResetRunState()
    {
        _clock.Reset();
        _nextKey = 1;
        _steps = 0;
        _timersFired = 0;
        _deadLetters = 0;
        _choices.Clear();
        _leaks.Clear();
        _failures.Clear();
        _deadLetterSamples.Clear();
        _runCells.Clear();
        _root = null;
        _rootTerminated = false;
    }

    private RunEndReason Drive(RunOptions options, ISchedulingStrategy strategy)
    {
        var horizon = options.Horizon.Ticks;
        var stepLimit = options.StepLimit;
        while (true)
        {
            if (!_foreign.IsEmpty) DrainForeign();
            var count = _ready.Count;
            if (count > 0)
            {
                if (_steps >= stepLimit) return RunEndReason.StepLimit;
                var index = 0;
                if (count > 1)
                {
                    index = strategy.Choose(this);
                    if ((uint)index >= (uint)count)
                        throw new InvalidOperationException($"{strategy.GetType().Name} chose {index} of {count} ready mailboxes.");
                    _choices.Add(index);
                }
                var runnable = _ready.Take(_ready.KeyAt(index));
                _steps++;
                runnable.Run();
                continue;
            }
            if (_clock.TryPeekDue(out var due))
            {
                if (due > horizon)
                {
                    _clock.FireDueAt(horizon); // moves the clock to the horizon; nothing is due there
                    return RunEndReason.Horizon;
                }
                if (_timersFired >= stepLimit) return RunEndReason.StepLimit;
                _timersFired += _clock.FireDueAt(due, stepLimit - _timersFired);
                continue;
            }
            return RunEndReason.Quiescence;
        }
    }

    /// <summary>
    /// When nothing is ready, an actor whose mailbox is still suspended is waiting for something outside the run:
    /// a <c>ReceiveAsync</c> or <c>RunTask</c> awaiting <c>Task.Delay</c>, an Ask, I/O… Its continuation can only
    /// arrive from another thread, after an unpredictable amount of the run (or after the run), so the run is
    /// not deterministic even if it never arrives in time to be seen as a leak. (A failing actor is suspended
    /// too, but only until its supervisor, which is then ready, decides.)
    /// </summary>
    private void ReportSuspendedActors()
    {
        List<ActorEntry>? suspended = null; // allocated only when there is something to report
        foreach (var (mailbox, entry) in _actors)
            if (entry.Key != 0 && MailboxInspector.IsSuspended(mailbox) == true) (suspended ??= []).Add(entry);
        if (suspended is null) return;
        suspended.Sort((a, b) => a.Key.CompareTo(b.Key)); // the dictionary's order is not deterministic
        foreach (var entry in suspended)
            _leaks.Add($"actor {entry.Cell.Self.Path.ToStringWithoutAddress()} was still suspended when the run ended: it awaits " +
                       "something outside the run (ReceiveAsync or RunTask awaiting Task.Delay, an Ask, I/O…)");
    }

    private void TearDown()
    {
        if (_root is IInternalActorRef root && !_rootTerminated) root.Stop();
        const long limit = 10_000_000;
        long steps = 0;
        while (true)
        {
            if (!_foreign.IsEmpty) DrainForeign();
            if (_ready.Count == 0) break;
            if (++steps > limit) throw new InvalidOperationException("Simulation teardown did not finish within 10,000,000 steps.");
            _ready.Take(_ready.KeyAt(0)).Run();
        }
        if (_root is not null && !_rootTerminated)
            throw new InvalidOperationException($"Simulation engine bug: the run's root {_root.Path} did not stop.");
    }

    void IDisposable.Dispose() => Dispose();

    /// <summary>Stops the host actor on this thread (so that terminating the system never waits for it).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Acquire();
        var previous = t_current;
        t_current = this;
        try
        {
            _host.Tell(PoisonPill.Instance);
            long steps = 0;
            while (!_hostStopped && steps++ < 1_000_000)
            {
                if (!_foreign.IsEmpty) DrainForeign();
                if (_ready.Count > 0) _ready.Take(_ready.KeyAt(0)).Run();
                else if (!_hostStopped) Thread.Yield();
            }
            _system.EventStream.Unsubscribe(_deadLetterCounter);
        }
        finally
        {
            t_current = previous;
            Release();
            SimulationMailboxType.RemoveHost(Name);
        }
        _hostStartedEvent.Dispose();
    }

    // ---- IReadyView ----

    int IReadyView.Count => _ready.Count;

    long IReadyView.StepsTaken => _steps;

    int IReadyView.KeyAt(int index) => _ready.KeyAt(index);

    // ---- called by the dispatcher, the host and the dead-letter counter ----

    // The calls from other threads are built in separate methods: a lambda that captures a parameter makes C#
    // allocate its closure on entry to the method that declares the parameter, on the driver-thread path too
    // (32 bytes per message, every message of every run, before this was split).

    internal void Enqueue(IRunnable runnable)
    {
        if (t_current == this) EnqueueHere(runnable);
        else EnqueueForeign(runnable);
    }

    internal void OnAttach(ActorCell cell, Action attach)
    {
        if (t_current == this)
        {
            Register(cell);
            attach();
        }
        else
        {
            AttachForeign(cell, attach);
        }
    }

    internal void OnDetach(Mailbox mailbox)
    {
        if (t_current == this) _actors.Remove(mailbox);
        else DetachForeign(mailbox);
    }

    /// <summary>True on the thread that is driving this driver (a run, teardown, or an inline call between runs).</summary>
    internal bool IsDrivingThread => t_current == this;

    /// <summary>
    /// Delivers a message that another thread sent to one of this driver's actors: on the driver's thread, as a
    /// leak if a run is live. Never delivered directly, because a message put into a mailbox that is already
    /// scheduled would be processed without the driver ever seeing it arrive.
    /// </summary>
    internal void DeliverFromOutside(ActorCell cell, object message, bool isSystemMessage, Action deliver) =>
        Foreign(new ForeignCall(deliver, isSystemMessage ? ForeignKind.SystemMessage : ForeignKind.Message,
            _phase != Phase.Idle, Cell: cell, Payload: message));

    private void EnqueueForeign(IRunnable runnable) =>
        Foreign(new ForeignCall(() => EnqueueHere(runnable), ForeignKind.Task, _phase != Phase.Idle, Runnable: runnable));

    private void AttachForeign(ActorCell cell, Action attach) =>
        Foreign(new ForeignCall(() => { Register(cell); attach(); }, ForeignKind.Attach, _phase != Phase.Idle, Cell: cell));

    private void DetachForeign(Mailbox mailbox) =>
        Foreign(new ForeignCall(() => _actors.Remove(mailbox), ForeignKind.Detach, _phase != Phase.Idle));

    internal void OnDeadLetter(DeadLetter dead)
    {
        if (t_current != this || _phase != Phase.Running || _deliveringLate) return;
        _deadLetters++;
        if (_deadLetterSamples.Count < 10)
            _deadLetterSamples.Add($"{dead.Message.GetType().Name} → {dead.Recipient.Path.ToStringWithoutAddress()}");
    }

    internal void HostStarted() => _hostStartedEvent.Set();

    internal void HostStopped() => _hostStopped = true;

    internal void RootCreated(IActorRef root) => _root = root;

    internal void RootTerminated(IActorRef root)
    {
        if (_root is not null && root.Equals(_root)) _rootTerminated = true;
    }

    internal void RootFailed(Exception exception) => _failures.Add(Describe(exception));

    private void TimerFailed(Exception exception) =>
        _failures.Add($"a scheduled action failed at {TimeSpan.FromTicks(_clock.NowTicks):c}: {Describe(exception)}");

    /// <summary>
    /// Type and message of an exception and of its inner ones. Akka wraps a constructor's exception in an
    /// ActorInitializationException whose own message is only "Exception during creation".
    /// </summary>
    private static string Describe(Exception exception)
    {
        var description = new System.Text.StringBuilder($"{exception.GetType().Name}: {exception.Message}");
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
            description.Append($" ---> {inner.GetType().Name}: {inner.Message}");
        return description.ToString();
    }

    private void Register(ActorCell cell)
    {
        // The host is the first actor attached and keeps key 0; a run's actors are numbered from 1 in creation order.
        var key = _actors.Count == 0 ? 0 : _nextKey++;
        _actors[cell.Mailbox!] = new ActorEntry(key, cell);
        if (key == 0) _hostCell = cell;
        else _runCells.Add(cell);
    }

    private void EnqueueHere(IRunnable runnable)
    {
        var key = runnable is Mailbox mailbox && _actors.TryGetValue(mailbox, out var entry) ? entry.Key : _nextKey++;
        _ready.Add(key, runnable);
    }

    private void Foreign(ForeignCall call)
    {
        _foreign.Enqueue(call);
        // If no thread is driving, run the call here, inline (the guardian creating or stopping the host).
        while (!_foreign.IsEmpty && TryAcquire())
        {
            var previous = t_current;
            t_current = this;
            try
            {
                DrainForeign();
                while (_ready.Count > 0) _ready.Take(_ready.KeyAt(0)).Run();
            }
            finally
            {
                t_current = previous;
                Release();
            }
        }
    }

    private void DrainForeign()
    {
        while (_foreign.TryDequeue(out var call))
        {
            if (call is { Kind: ForeignKind.Message or ForeignKind.SystemMessage, Cell: { } cell } &&
                !ReferenceEquals(cell, _hostCell) && !_runCells.Contains(cell))
            {
                DeliverLate(call);
                continue;
            }
            if (call.DuringRun) _leaks.Add(DescribeLeak(call));
            call.Operation();
        }
    }

    /// <summary>
    /// A message for an actor of a run that has ended (its cell is not one of the current run's): it goes to dead
    /// letters as usual, but is neither a leak nor a dead letter of the current run, which it cannot affect.
    /// </summary>
    private void DeliverLate(ForeignCall call)
    {
        var kind = call.Kind == ForeignKind.SystemMessage ? "a system message" : "a message";
        var description = $"{kind} ({call.Payload?.GetType().Name}) for {call.Cell!.Self.Path.ToStringWithoutAddress()} " +
                          "arrived from another thread after its run had ended";
        Interlocked.Increment(ref _lateLeakCount);
        lock (_lateLeaks)
        {
            if (_lateLeaks.Count < 100) _lateLeaks.Add(description);
        }
        _deliveringLate = true;
        try
        {
            call.Operation();
        }
        finally
        {
            _deliveringLate = false;
        }
    }

    private string DescribeLeak(ForeignCall call)
    {
        const string thread = "from another thread";
        var actor = call.Cell?.Self.Path.ToStringWithoutAddress();
        switch (call.Kind)
        {
            case ForeignKind.Message:
                return $"a message ({call.Payload?.GetType().Name}) for {actor} was sent {thread}";
            case ForeignKind.SystemMessage:
                return $"a system message ({call.Payload?.GetType().Name}) for {actor} was sent {thread}";
            case ForeignKind.Attach:
                return $"actor {actor} was attached {thread}";
            case ForeignKind.Detach:
                return $"an actor stopped {thread}";
            case ForeignKind.Task when call.Runnable is Mailbox mailbox:
                return _actors.TryGetValue(mailbox, out var entry)
                    ? $"a message or signal for {entry.Cell.Self.Path.ToStringWithoutAddress()} was scheduled {thread}"
                    : $"a mailbox unknown to the run was scheduled {thread}";
            default:
                return $"a task ({call.Runnable?.GetType().Name}) was scheduled on the run's dispatcher {thread}";
        }
    }

    private bool TryAcquire() => Interlocked.CompareExchange(ref _owner, 1, 0) == 0;

    private void Acquire()
    {
        var spin = new SpinWait();
        while (!TryAcquire()) spin.SpinOnce();
    }

    private void Release()
    {
        Volatile.Write(ref _owner, 0);
        // A call that arrived while this thread was driving and found the driver busy is waiting in the queue.
        if (!_foreign.IsEmpty && t_current != this) Foreign(new ForeignCall(static () => { }, ForeignKind.Wake, false));
    }
}
