using System.Collections.Immutable;

namespace LeaseActors.Processes.Internal;

/// <summary>One thread of an emulated process: the program it runs and where it is.</summary>
internal sealed class ThreadState(string name, int tid, ImmutableArray<Step> program)
{
    public string Name { get; } = name;

    public int Tid { get; } = tid;

    public ImmutableArray<Step> Program { get; set; } = program;

    public int Pc { get; set; }

    public bool Alive { get; set; } = true;

    /// <summary>The syscall the thread is in, if any.</summary>
    public PendingCall? Current { get; set; }

    /// <summary>A program-level wait (sleep, wait-for) the thread is in, if any.</summary>
    public ProgramWait? Waiting { get; set; }

    /// <summary>True while a signal handler runs on this thread (its program is suspended).</summary>
    public bool InHandler { get; set; }

    /// <summary>A "continue" message is already on its way for this thread.</summary>
    public bool ContinueScheduled { get; set; }

    /// <summary>Syscalls sent with <see cref="Process.Execute"/>, run between program steps (main thread only); created with the first.</summary>
    private Queue<(Process.Execute Request, Akka.Actor.IActorRef ReplyTo)>? _external;

    public void EnqueueExternal((Process.Execute Request, Akka.Actor.IActorRef ReplyTo) request) => (_external ??= new()).Enqueue(request);

    public bool TryDequeueExternal(out (Process.Execute Request, Akka.Actor.IActorRef ReplyTo) request)
    {
        if (_external is { } queue) return queue.TryDequeue(out request);
        request = default;
        return false;
    }

    /// <summary>Whether a handler may start on this thread now: at a step boundary, in a program wait, or blocked interruptibly.</summary>
    public bool AtSignalPoint => Alive && !InHandler && (Current is null || Current.IsBlocked);
}

/// <summary>A program-level wait: a sleep until a virtual time, or a wait for another process's label.</summary>
internal sealed record ProgramWait(Step Step, long? UntilTicks, long? CallId);
