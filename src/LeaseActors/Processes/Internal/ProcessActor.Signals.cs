using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.Kernel;
using LeaseActors.Kernel.Internal;
using LeaseActors.Signals;

namespace LeaseActors.Processes.Internal;

internal sealed partial class ProcessActor
{
    // Signal state is created on first use (a sigaction, a mask, a pending signal), so that an idle process costs little.
    private Dictionary<int, SignalAction>? _actions;
    private HashSet<int>? _blocked;
    /// <summary>Pending standard signals: at most one per signal number and target (the process, or one thread).</summary>
    private List<DeliverSignal>? _pendingStandard;
    private List<DeliverSignal>? _pendingRealtime;

    private Dictionary<int, SignalAction> Actions => _actions ??= [];

    private HashSet<int> BlockedSet => _blocked ??= [];

    private bool IsBlocked(int signo) => _blocked?.Contains(signo) == true;
    private HandlerRun? _handler;
    private int _handlersRun;

    /// <summary>A handler that is running, or about to run once the call it interrupts has been cancelled.</summary>
    private sealed class HandlerRun(ThreadState thread, int signo, SignalHandler spec)
    {
        public ThreadState Thread { get; } = thread;
        public int Signo { get; } = signo;
        public SignalHandler Spec { get; } = spec;
        public IActorRef? Actor { get; set; }
        public PendingCall? Interrupted { get; set; }
        /// <summary>Waiting for the blocked call's cancellation before the handler starts.</summary>
        public PendingCall? Cancelling { get; set; }
    }

    private sealed record HandlerFaulted(string Message);

    private void ReceiveSignals()
    {
        Receive<DeliverSignal>(OnSignal);
        Receive<SignalHandlerActor.RunStep>(m =>
        {
            if (_handler is { Actor: not null } h && Sender.Equals(h.Actor)) RunStep(h.Thread, m.Step, CallSource.Handler);
        });
        Receive<SignalHandlerActor.Finished>(_ =>
        {
            if (_handler is { Actor: not null } h && Sender.Equals(h.Actor)) EndHandler(h, "returned");
        });
        Receive<HandlerFaulted>(m =>
        {
            if (_handler is not { } h) return;
            if (_faultPolicy == HandlerFaultPolicy.CrashProcess)
            {
                _trace.HandlerEnded(_name, h.Signo, "fault: " + m.Message);
                _handler = null;
                h.Thread.InHandler = false;
                BeginExit(128 + Sig.SIGSEGV, Sig.SIGSEGV);
            }
            else
            {
                EndHandler(h, "abandoned after fault: " + m.Message);
            }
        });
    }

    protected override SupervisorStrategy SupervisorStrategy()
    {
        var self = Self;
        return new OneForOneStrategy(ex =>
        {
            self.Tell(new HandlerFaulted(ex.Message));
            return Directive.Stop;
        }, loggingEnabled: false);
    }

    private SignalAction ActionFor(int signo) => _actions is { } actions && actions.TryGetValue(signo, out var a) ? a : SignalAction.Default;

    private static bool Ignores(int signo, SignalAction action) =>
        action is SignalAction.IgnoreAction || (action is SignalAction.DefaultAction && Sig.DefaultIgnores(signo));

    /// <summary>A signal for this process: the chaos plan may drop or delay it (never SIGKILL), then it is delivered.</summary>
    private void OnSignal(DeliverSignal m)
    {
        if (_chaos.Active && m.Signo != Sig.SIGKILL && _state is not (LifeState.Exiting or LifeState.Zombie))
        {
            if (_chaos.Drop(_name, m.Signo, Sig.Name(m.Signo)))
            {
                _trace.SignalDelivered(_name, m.Info, "lost: dropped (chaos)");
                return;
            }
            var delay = _chaos.Delay(Chaos.ChaosPoint.SignalDelivery, _name, m.Signo, null, Sig.Name(m.Signo));
            if (delay > TimeSpan.Zero)
            {
                _trace.Clock.StartTimer(Timers, "chaos-" + ++_chaosTimers, new DelayedSignal(m), delay);
                return;
            }
        }
        DeliverNow(m);
    }

    private void DeliverNow(DeliverSignal m)
    {
        var signo = m.Signo;
        if (_state is LifeState.Exiting or LifeState.Zombie)
        {
            _trace.SignalDelivered(_name, m.Info, "lost: exiting");
            return;
        }
        if (signo == Sig.SIGKILL)
        {
            _trace.SignalDelivered(_name, m.Info, "killed");
            BeginExit(128 + signo, signo);
            return;
        }
        var action = ActionFor(signo);
        var blocked = IsBlocked(signo);
        if (!blocked && Ignores(signo, action))
        {
            _trace.SignalDelivered(_name, m.Info, "ignored");
            return;
        }
        if (m.SigioFallback && Sig.IsRealtime(signo) && (_pendingRealtime?.Count ?? 0) >= _sigPendingLimit)
        {
            // send_sigio_to_task: the realtime signal cannot be queued (RLIMIT_SIGPENDING), so the kernel sends plain
            // SIGIO with SEND_SIG_PRIV instead (man 2 F_SETSIG).
            _trace.SignalPending(_name, signo, "queue full: plain SIGIO instead");
            DeliverNow(new DeliverSignal(Sig.SIGIO, new SigInfo(Sig.SIGIO, Sig.SI_KERNEL, 0, 0), m.From, Tid: m.Tid));
            return;
        }
        if (!Sig.IsRealtime(signo))
        {
            if (_pendingStandard?.Exists(p => p.Signo == signo && p.Tid == m.Tid) == true)
            {
                _trace.SignalPending(_name, signo, "coalesced");
                return;
            }
            (_pendingStandard ??= []).Add(m);
        }
        else
        {
            (_pendingRealtime ??= []).Add(m);
        }
        _trace.SignalPending(_name, signo, blocked ? "blocked" : "pending");
        ProcessSignals();
    }

    /// <summary>Delivers pending, unblocked signals: default actions at once, one handler at a time at a signal point.</summary>
    private void ProcessSignals()
    {
        while (_state is LifeState.Running or LifeState.Created && _handler is null)
        {
            var next = NextDeliverable();
            if (next is null) return;
            var signo = next.Signo;
            var action = ActionFor(signo);
            if (Ignores(signo, action))
            {
                RemovePending(next);
                _trace.SignalDelivered(_name, next.Info, "ignored");
                continue;
            }
            if (action is not SignalAction.Handle handle)
            {
                RemovePending(next);
                _trace.SignalDelivered(_name, next.Info, "terminated");
                BeginExit(128 + signo, signo);
                return;
            }
            // A signal sent to one thread (F_OWNER_TID) is taken by that thread only; one sent to the process by
            // the main thread if it lives, else the lowest living thread.
            var thread = next.Tid is { } tid ? Array.Find(_threads, t => t.Tid == tid) : Array.Find(_threads, t => t.Alive);
            if (thread is { Alive: false })
            {
                RemovePending(next);
                _trace.SignalDelivered(_name, next.Info, "lost: thread exited");
                continue;
            }
            if (thread is null || !thread.AtSignalPoint) return;
            RemovePending(next);
            _trace.SignalDelivered(_name, next.Info, "handler");
            StartHandler(thread, signo, handle.Handler);
            return;
        }
    }

    private DeliverSignal? NextDeliverable()
    {
        DeliverSignal? best = null;
        // next_signal: the lowest-numbered unblocked signal; realtime signals of one number in arrival order.
        foreach (var m in (_pendingStandard ?? []).Concat(_pendingRealtime ?? []))
        {
            if (IsBlocked(m.Signo)) continue;
            if (best is null || m.Signo < best.Signo) best = m;
        }
        return best;
    }

    private void RemovePending(DeliverSignal m)
    {
        if (Sig.IsRealtime(m.Signo)) _pendingRealtime?.Remove(m);
        else _pendingStandard?.Remove(m);
    }

    private void StartHandler(ThreadState thread, int signo, SignalHandler spec)
    {
        var run = new HandlerRun(thread, signo, spec);
        _handler = run;
        if (thread.Current is { IsBlocked: true } call)
        {
            // The signal interrupts the sleep: the call unwinds at the actor it waits at before the handler runs.
            call.Cancelling = true;
            run.Cancelling = call;
            call.BlockedAt!.Tell(new CancelWait(call.Id, Self));
            return;
        }
        Launch(run);
    }

    private void OnWaitCancelled(WaitCancelled m)
    {
        if (_handler is not { Cancelling: { } call } run || call.Id != m.CallId) return;
        if (m.Removed)
        {
            run.Interrupted = call;
            call.Thread.Current = null;
            _trace.SyscallInterrupted(_name, call.Id, call.Call.Name, run.Spec.Restart);
        }
        else if (Calls.ContainsKey(call.Id))
        {
            // The result is on its way (it crossed the cancellation): the call completes, then the handler runs.
            return;
        }
        run.Cancelling = null;
        Launch(run);
    }

    /// <summary>Called when a call completes while a handler waits for its cancellation: the handler runs after it.</summary>
    private void LaunchAfterCompletion(PendingCall call)
    {
        if (_handler is { Cancelling: { } waiting } run && waiting == call)
        {
            run.Cancelling = null;
            Launch(run);
        }
    }

    private void Launch(HandlerRun run)
    {
        run.Thread.InHandler = true;
        var extra = _chaos.Delay(Chaos.ChaosPoint.Handler, _name, run.Signo, null, Sig.Name(run.Signo) + " handler");
        var spec = extra > TimeSpan.Zero ? run.Spec with { Takes = run.Spec.Takes + extra } : run.Spec;
        run.Actor = Context.ActorOf(SignalHandlerActor.Props(spec, _trace.Clock), "handler-" + ++_handlersRun);
        _trace.HandlerStarted(_name, run.Thread.Name, run.Signo);
    }

    private void EndHandler(HandlerRun run, string outcome)
    {
        if (run.Actor is { } actor) Context.Stop(actor);
        _trace.HandlerEnded(_name, run.Signo, outcome);
        _handler = null;
        var thread = run.Thread;
        thread.InHandler = false;
        if (run.Interrupted is { } call)
        {
            thread.Current = call;
            call.BlockedAt = null;
            call.Cancelling = false;
            Calls[call.Id] = call;
            if (run.Spec.Restart) Dispatch(call);
            else Complete(call, SyscallResult.Fail(Errno.EINTR));
        }
        ScheduleContinue(thread);
        ProcessSignals();
    }

    private SyscallResult SetAction(int signo, SignalAction action)
    {
        if (!Sig.IsValid(signo) || signo is Sig.SIGKILL or Sig.SIGSTOP) return SyscallResult.Fail(Errno.EINVAL);
        Actions[signo] = action;
        if (Ignores(signo, action))
        {
            _pendingStandard?.RemoveAll(m => m.Signo == signo);
            _pendingRealtime?.RemoveAll(m => m.Signo == signo);
        }
        ProcessSignals();
        return SyscallResult.Ok();
    }

    private SyscallResult ChangeMask(MaskHow how, ImmutableArray<int> signals)
    {
        if (signals.Any(s => !Sig.IsValid(s))) return SyscallResult.Fail(Errno.EINVAL);
        var set = signals.Where(s => s is not (Sig.SIGKILL or Sig.SIGSTOP));
        switch (how)
        {
            case MaskHow.SIG_BLOCK: BlockedSet.UnionWith(set); break;
            case MaskHow.SIG_UNBLOCK: BlockedSet.ExceptWith(set); break;
            case MaskHow.SIG_SETMASK: BlockedSet.Clear(); BlockedSet.UnionWith(set); break;
            default: return SyscallResult.Fail(Errno.EINVAL);
        }
        ProcessSignals();
        return SyscallResult.Ok();
    }
}
