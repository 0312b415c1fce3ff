using LeaseActors.Internal;
using Akka.Actor;

namespace LeaseActors.Processes.Internal;

/// <summary>
/// One running signal handler, a child of its process. It waits the handler's handling time, then runs its steps
/// one by one: syscalls and labels through its process (on the thread the handler interrupted), sleeps on its own
/// timer. A <see cref="FaultStep"/> throws <see cref="SignalHandlerFaultException"/>, which the process's supervisor
/// strategy handles. Reports <see cref="Finished"/> to its process when the last step is done.
/// </summary>
internal sealed class SignalHandlerActor : MessageActor, IWithTimers
{
    private readonly SignalHandler _handler;
    private readonly Kernel.KernelClock _clock;
    private int _next;

    internal sealed record Begin;
    internal sealed record RunStep(Step Step);
    internal sealed record StepDone(SyscallResult Result);
    internal sealed record Finished;
    private sealed record SleepDone;

    public SignalHandlerActor(SignalHandler handler, Kernel.KernelClock clock)
    {
        _handler = handler;
        _clock = clock;
        Receive<Begin>(_ => NextStep());
        Receive<StepDone>(_ => NextStep());
        Receive<SleepDone>(_ => NextStep());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        if (_handler.Takes > TimeSpan.Zero) _clock.StartTimer(Timers, "takes", new Begin(), _handler.Takes);
        else Self.Tell(new Begin());
    }

    private void NextStep()
    {
        if (_next >= _handler.Steps.Length)
        {
            Context.Parent.Tell(new Finished());
            return;
        }
        var step = _handler.Steps[_next++];
        switch (step)
        {
            case FaultStep fault:
                throw new SignalHandlerFaultException(fault.Message);
            case SleepStep sleep:
                _clock.StartTimer(Timers, "sleep", new SleepDone(), sleep.Duration);
                break;
            default:
                Context.Parent.Tell(new RunStep(step));
                break;
        }
    }

    public static Props Props(SignalHandler handler, Kernel.KernelClock clock) => PropsOf.Create(() => new SignalHandlerActor(handler, clock));
}

/// <summary>Thrown by a handler's <see cref="FaultStep"/>: the emulated handler faulted (not an emulator bug).</summary>
public sealed class SignalHandlerFaultException : Exception
{
    /// <summary>Creates the fault with the step's message.</summary>
    public SignalHandlerFaultException(string message) : base(message) { }
}
