using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Configuration;

namespace MarketSim.Grains.Serialization;

/// <summary>
/// Model types are plain C# (no Orleans attributes), so they travel as System.Text.Json inside Orleans messages.
/// One registration, used by silos and clients alike, so both ends agree on the wire format.
/// </summary>
public static class MarketSimSerialization
{
    /// <summary>True for the types the JSON codec handles: everything in MarketSim.Model and below.</summary>
    public static bool IsModelType(Type t) => t.Namespace?.StartsWith("MarketSim.Model", StringComparison.Ordinal) == true;

    /// <summary>
    /// STJ writes doubles in their shortest round-trip form, so values arrive bit-identical. NaN and ±∞ are allowed so that
    /// a degenerate number fails a test on its value, not on serialization.
    /// </summary>
    public static void Configure(JsonSerializerOptions o)
    {
        o.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
    }

    public static ISerializerBuilder AddMarketSimSerializer(this ISerializerBuilder builder) =>
        builder.AddJsonSerializer(isSerializable: IsModelType, isCopyable: IsModelType,
            configureOptions: o => o.Configure(c => Configure(c.SerializerOptions)));

    public static IServiceCollection AddMarketSimSerialization(this IServiceCollection services)
    {
        services.AddSerializer(b => b.AddMarketSimSerializer());
        // The codec admits Model types themselves; generic shapes around them (List<PolicySpec>, Immutable<Frame[]>) need the
        // assembly on Orleans' allow-list too.
        services.Configure<TypeManifestOptions>(o => o.AllowedAssemblies.Add(typeof(MarketSim.Model.Simulation.Frame).Assembly.GetName().Name!));
        return services;
    }
}
