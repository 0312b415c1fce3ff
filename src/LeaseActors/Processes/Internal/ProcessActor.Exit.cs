using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Kernel.Internal;
using LeaseActors.Signals;

namespace LeaseActors.Processes.Internal;

internal sealed partial class ProcessActor
{
    // Created on first use (an exit, an execve), like the process's other collections.
    private Dictionary<long, Action>? _internalAcks;

    /// <summary>Results of internal calls whose value matters (was a dropped reference the last one?), read before the ack runs.</summary>
    private Dictionary<long, Action<SyscallResult>>? _internalResults;

    /// <summary><see cref="Process.Execute"/> requests answered ESRCH once the exit is complete (the fds are closed).</summary>
    private List<(IActorRef ReplyTo, Process.Executed Answer)>? _answersAtExit;

    private void AnswerAtExit(IActorRef? replyTo, Syscall call, long requestId)
    {
        if (replyTo is null) return;
        var answer = new Process.Executed(call, SyscallResult.Fail(Errno.ESRCH), requestId);
        if (_state == LifeState.Zombie) replyTo.Tell(answer);
        else (_answersAtExit ??= []).Add((replyTo, answer));
    }

    /// <summary>
    /// do_exit: threads stop, calls in progress are abandoned, mappings go (exit_mm), then the fds close one by one
    /// in an order drawn from the process's seeded stream (exit_files; the kernel does not define the order).
    /// </summary>
    private void BeginExit(int status, int? signal)
    {
        if (_state is LifeState.Exiting or LifeState.Zombie) return;
        _state = LifeState.Exiting;
        foreach (var call in Calls.Values.OrderBy(c => c.Id))
        {
            call.BlockedAt?.Tell(new CancelWait(call.Id, Self));
            if (call.Source == CallSource.External) AnswerAtExit(call.ReplyTo, call.Call, call.RequestId);
        }
        Calls.Clear();
        foreach (var thread in _threads)
        {
            while (thread.TryDequeueExternal(out var request))
                AnswerAtExit(request.ReplyTo, request.Request.Call, request.Request.RequestId);
            thread.Alive = false;
            thread.Current = null;
            thread.Waiting = null;
        }
        if (_handler?.Actor is { } handlerActor) Context.Stop(handlerActor);
        _handler = null;
        Timers.CancelAll();

        var releases = new List<(string What, OfdHandle Ofd, int Fd, string Via)>();
        foreach (var mapping in Mappings.Values) releases.Add(("munmap " + mapping.Name, mapping.Ofd, -1, "exit"));
        Mappings.Clear();
        var fds = _fds.Where(kv => kv.Value.Ofd is not null).Select(kv => kv.Key).ToList();
        for (var i = fds.Count - 1; i > 0; i--)
        {
            var j = CloseOrder.Next(i + 1);
            (fds[i], fds[j]) = (fds[j], fds[i]);
        }
        foreach (var fd in fds) releases.Add(("close " + fd, _fds[fd].Ofd!, fd, "exit"));
        _fds.Clear();
        ReleaseSequentially(releases, 0, () =>
        {
            _state = LifeState.Zombie;
            _kernel.Tell(new ProcessGone(_pid, status, signal));
            // Whoever asked learns that the process is gone only after its exit is complete (causality rule).
            foreach (var (replyTo, answer) in _answersAtExit ?? []) replyTo.Tell(answer);
            _answersAtExit?.Clear();
        });
    }

    /// <summary>Releases references one at a time, each after the previous one's effects are done.</summary>
    /// <remarks>
    /// As <c>close_files</c> and <c>task_work</c> do: every reference is dropped first, in order (each fd is recorded
    /// as closed when its turn comes), then the final releases of the descriptions that lost their last reference run
    /// one after another, in the same order. A final release that blocks (block-close) holds up the ones after it, but
    /// not the dropping of references: a context that another process still holds loses this process's reference.
    /// </remarks>
    private void ReleaseSequentially(List<(string What, OfdHandle Ofd, int Fd, string Via)> releases, int index, Action done) =>
        DropReferences(releases, index, [], done);

    private void DropReferences(List<(string What, OfdHandle Ofd, int Fd, string Via)> releases, int index, List<OfdHandle> finals, Action done)
    {
        if (index >= releases.Count)
        {
            RunFinalReleases(finals, 0, done);
            return;
        }
        var id = _nextCall++;
        var (what, ofd, fd, via) = releases[index];
        if (fd >= 0) _trace.FdClosed(_name, fd, ofd.Id.Value, via);
        (_internalAcks ??= [])[id] = () => DropReferences(releases, index + 1, finals, done);
        (_internalResults ??= [])[id] = result =>
        {
            if (result.Value == 1) finals.Add(ofd);
        };
        ofd.Actor.Tell(new ReleaseRef(id, Self, what, DeferFinal: true));
    }

    private void RunFinalReleases(List<OfdHandle> finals, int index, Action done)
    {
        if (index >= finals.Count)
        {
            done();
            return;
        }
        var id = _nextCall++;
        (_internalAcks ??= [])[id] = () => RunFinalReleases(finals, index + 1, done);
        finals[index].Actor.Tell(new RunFinalRelease(id, Self));
    }

    /// <summary>execve: FD_CLOEXEC fds close, handled signals return to their default, other threads end, the program is replaced.</summary>
    private void DoExecve(PendingCall call, Execve execve)
    {
        var thread = call.Thread;
        foreach (var other in _threads.Where(t => t != thread && t.Alive).ToList())
        {
            other.Alive = false;
            _trace.ThreadExited(_name, other.Name, other.Tid);
            _kernel.Tell(new ThreadGone(_pid, other.Tid));
        }
        foreach (var signo in Actions.Where(kv => kv.Value is SignalAction.Handle).Select(kv => kv.Key).ToList())
            Actions[signo] = SignalAction.Default;
        var releases = new List<(string What, OfdHandle Ofd, int Fd, string Via)>();
        foreach (var fd in _fds.Where(kv => kv.Value.Cloexec && kv.Value.Ofd is not null).Select(kv => kv.Key).ToList())
        {
            releases.Add(("close-on-exec " + fd, _fds[fd].Ofd!, fd, "execve"));
            _fds.Remove(fd);
        }
        ReleaseSequentially(releases, 0, () =>
        {
            if (!Calls.Remove(call.Id)) return;
            thread.Current = null;
            _trace.SyscallExit(_name, thread.Name, call.Id, call.Call.Name, call.Label, 0, Errno.None, call.EnteredTicks / TimeSpan.TicksPerMicrosecond);
            if (call.Label is { } label) Reach(label);
            if (call.Source == CallSource.External) call.ReplyTo?.Tell(new Process.Executed(call.Call, SyscallResult.Ok(), call.RequestId));
            thread.Program = execve.Program;
            thread.Pc = 0;
            ScheduleContinue(thread);
            ProcessSignals();
        });
    }
}
