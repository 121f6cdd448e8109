using MarketSim.Model.Policies;

namespace MarketSim.Model.Scenario;

/// <summary>The loader's side of <see cref="PolicyRules"/>: the rules the hubs apply to a live policy, applied to every policy of a file.</summary>
internal sealed partial class ScenarioReader
{
    /// <summary>
    /// Each policy the reader accepted field by field is then held to <see cref="PolicyRules"/> (one set of rules for files
    /// and hub calls); a policy with an error already reported is skipped, so nothing is reported twice. References and the
    /// shared id space are checked by the reader itself, located in the file, so they are left out of the context here.
    /// </summary>
    void CheckPolicyRules(IEnumerable<(YamlMap Map, PolicySpec? Spec)> policies, IEnumerable<CommoditySpec> commodities)
    {
        var withErrors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in sink.Errors)
            if (e.Field.StartsWith("policies[", StringComparison.Ordinal) && e.Field.IndexOf(']') is var close and > 0)
                withErrors.Add(e.Field[..(close + 1)]);
        var caps = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var c in commodities) caps.TryAdd(c.Id, c.ReferencePrice * c.MaxPriceFactor);
        var context = new PolicyContext { Days = _days, FirstTick = -QuantityLimits.MaxSpinUpDays, PriceCaps = caps };
        foreach (var (map, spec) in policies)
        {
            if (spec is null || withErrors.Contains(map.Path)) continue;
            foreach (var problem in PolicyRules.Check(spec, context))
                map.Error(problem.FileField, problem.Message);
        }
    }
}
