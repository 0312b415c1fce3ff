using Akka.Actor;

namespace LeaseActors.Hosting;

/// <summary>An actor <see cref="LeaseActorsOptions.AddEventSubscriber{TKey}"/> starts and subscribes to <see cref="RealTime.KernelEvent"/>.</summary>
/// <param name="Name">Its top-level actor name.</param>
/// <param name="Props">How to create it.</param>
/// <param name="RegistryKey">Its ActorRegistry key.</param>
public sealed record EventSubscriberRegistration(string Name, Props Props, Type RegistryKey);
