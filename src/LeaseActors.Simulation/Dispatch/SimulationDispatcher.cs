using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.SysMsg;

namespace LeaseActors.Simulation.Dispatch;

/// <summary>
/// The dispatcher of one <see cref="SimulationDriver"/>: it hands every runnable (a mailbox with work, or a
/// task) to the driver instead of a thread pool, and processes at most one user message per mailbox turn.
/// </summary>
internal sealed class SimulationDispatcher : MessageDispatcher
{
    private readonly SimulationDriver _driver;

    public SimulationDispatcher(MessageDispatcherConfigurator configurator, SimulationDriver driver, string id) : base(configurator)
    {
        _driver = driver;
        Id = id;
        Throughput = 1;
        // Akka's mailbox loop checks "left > 0" after each message, so throughput 1 alone lets a turn run two
        // messages; a throughput deadline of 0 makes every turn stop after its first message.
        ThroughputDeadlineTime = 0;
        ShutdownTimeout = TimeSpan.FromSeconds(1);
    }

    protected override void ExecuteTask(IRunnable run) => _driver.Enqueue(run);

    // A message or system message sent from another thread must not go straight into the mailbox: if the
    // mailbox is already scheduled (an actor that is busy), Akka would not call ExecuteTask at all and the
    // message would slip into the run unseen. The driver enqueues it on its own thread and reports the leak.
    public override void Dispatch(ActorCell cell, Envelope envelope)
    {
        if (_driver.IsDrivingThread) base.Dispatch(cell, envelope);
        else DispatchFromOutside(cell, envelope);
    }

    public override void SystemDispatch(ActorCell cell, SystemMessage message)
    {
        if (_driver.IsDrivingThread) base.SystemDispatch(cell, message);
        else SystemDispatchFromOutside(cell, message);
    }

    // Separate methods, so that the closures are allocated only on this rare path, not on every message.
    private void DispatchFromOutside(ActorCell cell, Envelope envelope) =>
        _driver.DeliverFromOutside(cell, envelope.Message, isSystemMessage: false, () => base.Dispatch(cell, envelope));

    private void SystemDispatchFromOutside(ActorCell cell, SystemMessage message) =>
        _driver.DeliverFromOutside(cell, message, isSystemMessage: true, () => base.SystemDispatch(cell, message));

    protected override void Shutdown()
    {
        // Nothing to release: the driver owns no threads.
    }

    public override void Attach(ActorCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        _driver.OnAttach(cell, () => base.Attach(cell));
    }

    public override void Detach(ActorCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var mailbox = cell.Mailbox;
        base.Detach(cell);
        if (mailbox is not null) _driver.OnDetach(mailbox);
    }
}

internal sealed class SimulationDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly SimulationDispatcher _dispatcher;

    public SimulationDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites, SimulationDriver driver, string id)
        : base(config, prerequisites) =>
        _dispatcher = new SimulationDispatcher(this, driver, id);

    public override MessageDispatcher Dispatcher() => _dispatcher;
}
