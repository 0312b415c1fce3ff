using System.Collections.Concurrent;
using System.Reflection;
using Akka.Actor;

namespace LeaseActors.Internal;

/// <summary>
/// The base of the emulated kernel's actors: handlers registered per message type, as with Akka's
/// <see cref="ReceiveActor"/>, dispatched by a dictionary lookup on the message's exact type.
/// </summary>
/// <remarks>
/// <para>
/// A kernel run creates its actors anew (processes, descriptions, handlers), and Akka's <c>ReceiveActor</c> builds
/// and matches a compiled handler chain for every instance (<c>MatchBuilder</c>, <c>MakeGenericType</c>): about a fifth
/// of a campaign run's allocations. The kernel's messages are sealed records handled by exact type, which a dictionary
/// serves; a message whose type has no handler falls back to the first handler whose type it is assignable to, then
/// to <c>Unhandled</c>.
/// </para>
/// <para>
/// The handler table is shared by every instance of an actor class (a process kept about 3 KB of delegates and
/// dictionary per instance, three times Akka's own per-actor cost). The first instance's constructor builds the
/// table; when every handler it registered is a method of the actor itself (a method group, or a lambda that
/// captures only <c>this</c>), the table is kept for the class with open delegates that take the actor as an
/// argument. Later instances still run their constructors' registrations, which are checked against the shared
/// table (same message type, same method, in the same order); an instance that registers anything else, or
/// registers after its constructor, gets a table of its own, so sharing never changes which handler runs.
/// </para>
/// </remarks>
internal abstract class MessageActor : UntypedActor
{
    private static readonly ConcurrentDictionary<Type, HandlerTable> SharedTables = new();

    private HandlerTable _table;

    /// <summary>While the constructor runs against a shared table: how many registrations matched it so far.</summary>
    private int _matched;

    private bool _sealed;

    /// <summary>Starts with the class's shared table if one exists, else a table of this instance's own.</summary>
    protected MessageActor()
    {
        _table = SharedTables.TryGetValue(GetType(), out var shared) ? shared : new HandlerTable();
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> with <paramref name="handler"/> (the last registration for a type wins).</summary>
    protected void Receive<T>(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_table.IsShared)
        {
            if (!_sealed && _table.Matches(_matched, typeof(T), handler, this))
            {
                _matched++;
                return;
            }
            _table = _table.Prefix(_matched);
        }
        _table.Add(typeof(T), handler, this);
    }

    /// <summary>Whether instances of <paramref name="actorType"/> share one handler table (for tests).</summary>
    internal static bool SharesHandlers(Type actorType) => SharedTables.ContainsKey(actorType);

    /// <summary>The constructor is done: keep a shared table only if this instance matched all of it; publish a first table that can be shared.</summary>
    private void Seal()
    {
        if (_sealed) return;
        _sealed = true;
        if (_table.IsShared)
        {
            if (_matched != _table.Count) _table = _table.Prefix(_matched);
            return;
        }
        if (_table.CanBeShared)
        {
            // Marked shared before it is published: another driver thread may take it from the dictionary at once.
            _table.IsShared = true;
            if (SharedTables.TryAdd(GetType(), _table))
            {
                _matched = _table.Count;
                return;
            }
            _table.IsShared = false;
        }
        _table.DropSequence();
    }

    /// <inheritdoc />
    public override void AroundPreStart()
    {
        Seal();
        base.AroundPreStart();
    }

    /// <inheritdoc />
    public override void AroundPostRestart(Exception cause, object message)
    {
        Seal();
        base.AroundPostRestart(cause, message);
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        if (!_sealed) Seal();
        if (_table.Handlers.TryGetValue(message.GetType(), out var handler))
        {
            handler.Invoke(this, message);
            return;
        }
        foreach (var (type, fallback) in _table.Handlers)
        {
            if (!type.IsInstanceOfType(message)) continue;
            fallback.Invoke(this, message);
            return;
        }
        Unhandled(message);
    }

    /// <summary>One actor class's handlers (shared, immutable once <see cref="IsShared"/>) or one instance's own.</summary>
    private sealed class HandlerTable
    {
        /// <summary>The handler per message type, in first-registration order (the fallback scan's order).</summary>
        public Dictionary<Type, Handler> Handlers { get; } = [];

        /// <summary>Every registration in order, to check later instances against and to copy a prefix of; null once not needed.</summary>
        private List<(Type Type, MethodInfo? Method, Handler Handler)>? _sequence = [];

        public bool IsShared { get; set; }

        /// <summary>True while every handler registered is a method of the actor itself.</summary>
        public bool CanBeShared { get; private set; } = true;

        public int Count => _sequence?.Count ?? 0;

        public void Add<T>(Type type, Action<T> handler, MessageActor actor)
        {
            Handler entry;
            MethodInfo? method = null;
            if (CanBeShared && ReferenceEquals(handler.Target, actor) && handler.Method is { IsStatic: false, DeclaringType: { IsGenericTypeDefinition: false } declaring } m
                && declaring.IsInstanceOfType(actor))
            {
                method = m;
                entry = (Handler)Activator.CreateInstance(typeof(OpenHandler<,>).MakeGenericType(declaring, typeof(T)), m)!;
            }
            else
            {
                CanBeShared = false;
                entry = new ClosedHandler<T>(handler);
            }
            Handlers[type] = entry;
            _sequence?.Add((type, method, entry));
        }

        /// <summary>Whether registration <paramref name="index"/> of a later instance is the one this table recorded.</summary>
        public bool Matches<T>(int index, Type type, Action<T> handler, MessageActor actor) =>
            _sequence is { } sequence && index < sequence.Count && sequence[index].Type == type
            && ReferenceEquals(handler.Target, actor) && sequence[index].Method == handler.Method;

        /// <summary>A table of one instance's own with the first <paramref name="count"/> registrations.</summary>
        public HandlerTable Prefix(int count)
        {
            var own = new HandlerTable();
            foreach (var (type, method, handler) in _sequence!.Take(count))
            {
                own.Handlers[type] = handler;
                own._sequence!.Add((type, method, handler));
            }
            return own;
        }

        public void DropSequence() => _sequence = null;
    }

    private abstract class Handler
    {
        public abstract void Invoke(MessageActor actor, object message);
    }

    /// <summary>A handler that is a method of the actor, called on whichever instance received the message.</summary>
#pragma warning disable CA1812 // created by reflection, per actor class and message type
    private sealed class OpenHandler<TActor, T>(MethodInfo method) : Handler where TActor : MessageActor
#pragma warning restore CA1812
    {
        private readonly Action<TActor, T> _handler = method.CreateDelegate<Action<TActor, T>>();

        public override void Invoke(MessageActor actor, object message) => _handler((TActor)actor, (T)message);
    }

    /// <summary>A handler bound to one instance (a lambda that captured more than <c>this</c>).</summary>
    private sealed class ClosedHandler<T>(Action<T> handler) : Handler
    {
        public override void Invoke(MessageActor actor, object message) => handler((T)message);
    }
}
