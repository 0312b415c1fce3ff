using Akka.Actor;
using LeaseActors.Kernel.Internal;

namespace LeaseActors.Processes.Internal;

/// <summary>Where a syscall came from, which decides where its result goes.</summary>
internal enum CallSource { Program, External, Handler }

/// <summary>A syscall in progress on a thread.</summary>
internal sealed class PendingCall(long id, ThreadState thread, Syscall call, CallSource source, string? label, long enteredTicks)
{
    public long Id { get; } = id;
    public ThreadState Thread { get; } = thread;
    public Syscall Call { get; } = call;
    public CallSource Source { get; } = source;
    public string? Label { get; } = label;
    public long EnteredTicks { get; } = enteredTicks;

    /// <summary>Who asked, for <see cref="CallSource.External"/> calls.</summary>
    public IActorRef? ReplyTo { get; init; }
    public long RequestId { get; init; }

    /// <summary>The actor the call is blocked at (it sent <see cref="Blocked"/>): a signal may interrupt it there.</summary>
    public IActorRef? BlockedAt { get; set; }
    public bool IsBlocked => BlockedAt is not null && !Cancelling;

    /// <summary>A CancelWait was sent; the answer (or the result, if it crossed) decides what happens.</summary>
    public bool Cancelling { get; set; }

    /// <summary>What to do with the reply; the default completes the call with the reply's result.</summary>
    public Action<Reply>? OnReply { get; set; }
}
