using System.Reflection;
using Akka.Routing;

namespace LeaseActors.Simulation.Dispatch;

/// <summary>
/// The router configuration of a driver's deployment rule (<c>/leaseactors-sim-N/**</c>). For a plain actor it is
/// a <see cref="NoRouter"/> and changes nothing; for a router it moves the router's own actor onto the driver's
/// dispatcher.
/// </summary>
/// <remarks>
/// Akka runs a router's actor on the dispatcher its <see cref="RouterConfig.RouterDispatcher"/> names (the
/// default dispatcher unless <c>WithDispatcher</c> was called), not on the one the deployment gives: without this,
/// a pool created inside a run would create, supervise and stop its routees on the thread pool, and the run's root
/// could not stop. Akka merges the deployment's router configuration with the one in <c>Props</c> through
/// <see cref="WithFallback"/>, which is where the dispatcher is replaced. Every router Akka ships has a public
/// <c>WithDispatcher(string)</c>; a custom one without it is refused with a message saying so.
/// </remarks>
internal sealed class DriverRouterConfig : NoRouter
{
    private readonly string _dispatcherId;

    public DriverRouterConfig(string dispatcherId) => _dispatcherId = dispatcherId;

    public override RouterConfig WithFallback(RouterConfig routerConfig)
    {
        if (routerConfig is null or NoRouter || routerConfig.RouterDispatcher == _dispatcherId) return routerConfig!;
        var withDispatcher = routerConfig.GetType().GetMethod("WithDispatcher", BindingFlags.Public | BindingFlags.Instance, [typeof(string)]);
        if (withDispatcher is not null && typeof(RouterConfig).IsAssignableFrom(withDispatcher.ReturnType))
            return (RouterConfig)withDispatcher.Invoke(routerConfig, [_dispatcherId])!;
        throw new NotSupportedException(
            $"The router {routerConfig.GetType().FullName} cannot run inside a simulation: its actor must run on the driver's " +
            $"dispatcher ({_dispatcherId}), and it has no public WithDispatcher(string) method to move it there.");
    }
}
