using Akka.Actor;
using LeaseActors.Internal;
using LeaseActors.Kernel.Internal;
using LeaseActors.Processes;
using LeaseActors.Tracing;

namespace LeaseActors.Files.Internal;

/// <summary>
/// What every open file description shares, whatever it is a description of (a file, a socket end, an RDMA device
/// context): its reference count — fd entries in any process, SCM_RIGHTS messages in flight, mappings — and the final
/// release at the last reference (<c>__fput</c>), which a subclass carries out. Accepts <see cref="AddRef"/>,
/// <see cref="ReleaseRef"/> (answered with 1 when it was the last reference, else 0; a deferred final release waits
/// for <see cref="RunFinalRelease"/>) and <see cref="RunFinalRelease"/>.
/// </summary>
internal abstract class DescriptionActor : MessageActor
{
    private int _refs = 1;

    protected DescriptionActor(OfdId id, KernelTrace trace)
    {
        Id = id;
        Trace = trace;
        Receive<AddRef>(m =>
        {
            _refs++;
            Trace.OfdRef(Id.Value, _refs, m.Reason);
        });
        Receive<ReleaseRef>(m =>
        {
            _refs--;
            Trace.OfdRef(Id.Value, _refs, m.Reason);
            if (_refs > 0 || m.DeferFinal)
            {
                m.ReplyTo?.Tell(new Reply(m.CallId, SyscallResult.Ok(_refs > 0 ? 0 : 1)));
                return;
            }
            FinalRelease(m.CallId, m.ReplyTo);
        });
        Receive<RunFinalRelease>(m => FinalRelease(m.CallId, m.ReplyTo));
    }

    /// <summary>The description's id.</summary>
    protected OfdId Id { get; }

    /// <summary>Where it records its events.</summary>
    protected KernelTrace Trace { get; }

    /// <summary>True once the last reference has gone.</summary>
    protected bool Released => _refs <= 0;

    /// <summary>The final release: undo what the description holds, answer <paramref name="replyTo"/> when done, stop.</summary>
    protected abstract void FinalRelease(long callId, IActorRef? replyTo);
}
