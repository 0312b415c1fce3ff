using System.Collections.Concurrent;
using Akka.Actor;

namespace LeaseActors.Internal;

/// <summary>
/// The base of the emulated kernel's actors: handlers registered per message type, as with Akka's
/// <see cref="ReceiveActor"/>, dispatched on the message's exact type.
/// </summary>
/// <remarks>
/// A kernel run creates its actors anew (processes, descriptions, handlers), and Akka's <c>ReceiveActor</c> builds
/// and matches a compiled handler chain for every instance (<c>MatchBuilder</c>, <c>MakeGenericType</c>): about a fifth
/// of a campaign run's allocations. The kernel's messages are sealed records handled by exact type. A registration
/// costs one delegate (the handler itself: the cast to its message type is a shared static invoker), kept in
/// an array sized by what earlier instances of the same actor class registered, and scanned by type (an actor has a
/// few dozen handlers at most). A message whose type has no handler falls back to the first handler whose type it is
/// assignable to, then to <c>Unhandled</c>.
/// </remarks>
internal abstract class MessageActor : UntypedActor
{
    private static readonly ConcurrentDictionary<Type, int> s_handlerCounts = new();

    private Handler[] _handlers;
    private int _count;

    private readonly record struct Handler(Type Type, Delegate Action, Action<Delegate, object> Invoke);

    private static class Invoker<T>
    {
        public static readonly Action<Delegate, object> Invoke = (action, message) => ((Action<T>)action)((T)message);
    }

    /// <summary>Creates the handler table, sized for what this actor class registered before.</summary>
    protected MessageActor() => _handlers = new Handler[s_handlerCounts.TryGetValue(GetType(), out var n) ? n : 8];

    /// <summary>Handles messages of type <typeparamref name="T"/> with <paramref name="handler"/> (the last registration for a type wins).</summary>
    protected void Receive<T>(Action<T> handler)
    {
        var entry = new Handler(typeof(T), handler, Invoker<T>.Invoke);
        for (var i = 0; i < _count; i++)
        {
            if (_handlers[i].Type != typeof(T)) continue;
            _handlers[i] = entry;
            return;
        }
        if (_count == _handlers.Length) Array.Resize(ref _handlers, Math.Max(4, _count * 2));
        _handlers[_count++] = entry;
        if (!s_handlerCounts.TryGetValue(GetType(), out var known) || known < _count) s_handlerCounts[GetType()] = _count;
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        var type = message.GetType();
        var handlers = _handlers;
        for (var i = 0; i < _count; i++)
        {
            if (handlers[i].Type != type) continue;
            handlers[i].Invoke(handlers[i].Action, message);
            return;
        }
        for (var i = 0; i < _count; i++)
        {
            if (!handlers[i].Type.IsInstanceOfType(message)) continue;
            handlers[i].Invoke(handlers[i].Action, message);
            return;
        }
        Unhandled(message);
    }
}
