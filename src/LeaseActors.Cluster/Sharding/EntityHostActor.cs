using Akka.Actor;
using LeaseActors.Kernel.Internal;
using LeaseActors.Processes;

namespace LeaseActors.Cluster.Sharding;

/// <summary>
/// A Cluster.Sharding entity: the thin host of one kernel object (a process, an inode's lease manager or an open file
/// description). Sharding creates it from its id on the node that owns its shard; its first message,
/// <see cref="HostEntity"/>, builds the object as its child with the node's copy of the kernel's context, and every
/// later message is passed on to that child. An entity that sharding started anew after its node went down never gets
/// that first message: it is not the object it was, so it answers a syscall with ESRCH, a reference drop as done, and
/// stops (a lost object is never revived empty).
/// </summary>
internal sealed class EntityHostActor : ReceiveActor
{
    private readonly ShardedKernelNode _node;
    private IActorRef? _object;
    private long _incarnation;

    public EntityHostActor(ShardedKernelNode node, string entityId)
    {
        _node = node;
        Receive<EntityEnvelope>(e => OnEnvelope(e, entityId));
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_object)) Context.Stop(Self);
        });
    }

    private void OnEnvelope(EntityEnvelope envelope, string entityId)
    {
        switch (envelope.Message)
        {
            case HostEntity host when _object is null:
                var local = _node.KernelFor(host.Kernel);
                _incarnation = host.Kernel.Incarnation;
                _object = Context.ActorOf(host.Spec.Props(local.Options, local.Trace, local.Hosting), "object");
                Context.Watch(_object);
                Sender.Tell(new EntityHosted(entityId, _object));
                break;
            case HostEntity:
                break; // a duplicate: the object exists
            case StopEntity:
                Context.Stop(Self);
                break;
            case var message when _object is not null && envelope.Incarnation == _incarnation:
                _object.Forward(message);
                break;
            default:
                AnswerLost(envelope.Message);
                Context.Stop(Self);
                break;
        }
    }

    /// <summary>What an object that is gone (or a message meant for an earlier incarnation) answers.</summary>
    private void AnswerLost(object message)
    {
        switch (message)
        {
            case Process.Execute execute:
                Sender.Tell(new Process.Executed(execute.Call, SyscallResult.Fail(Errno.ESRCH), execute.RequestId));
                break;
            case ReleaseRef release:
                release.ReplyTo?.Tell(new Reply(release.CallId, SyscallResult.Ok(0)));
                break;
            case RunFinalRelease final:
                final.ReplyTo.Tell(new Reply(final.CallId, SyscallResult.Ok()));
                break;
        }
    }

    public static Props Props(ShardedKernelNode node, string entityId) => Akka.Actor.Props.Create(() => new EntityHostActor(node, entityId));
}
