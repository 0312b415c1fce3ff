namespace LeaseActors.Hosting;

/// <summary>
/// The ActorRegistry key of the first kernel <see cref="LeaseActorsHostingExtensions.AddLeaseActors"/> starts (its root
/// actor, which speaks the protocol of <see cref="Kernel.EmulatedKernel"/>): inject <c>IRequiredActor&lt;LeaseActorsKernel&gt;</c>
/// or call <c>registry.Get&lt;LeaseActorsKernel&gt;()</c>.
/// </summary>
/// <remarks>
/// The registry holds actor references; for the <see cref="RealTime.RealTimeKernel"/> object itself (awaited set-up
/// and syscalls, the trace), use <c>system.LeaseActors().Get(name)</c>.
/// </remarks>
public sealed class LeaseActorsKernel
{
    private LeaseActorsKernel()
    {
    }
}
