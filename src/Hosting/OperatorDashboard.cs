using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Orleans.Dashboard;

namespace MarketSim.Hosting;

/// <summary>
/// The Orleans dashboard for operators (grain counts, silos, a trace stream that names sessions and classrooms, join codes
/// included) is a closed door: off unless <c>MarketSim:OperatorDashboard:Enabled</c> is true, and when on it asks for HTTP
/// Basic credentials, user <c>operator</c> and the password in <c>MarketSim:OperatorDashboard:Password</c> (at least 12
/// characters; environment variable <c>MarketSim__OperatorDashboard__Password</c>). On without a password the host refuses
/// to start. docs/SECURITY.md.
/// </summary>
public static class OperatorDashboard
{
    public const string Prefix = "/orleans";
    public const string User = "operator";
    public const int MinPasswordLength = 12;

    /// <summary>Maps the dashboard under <see cref="Prefix"/> behind Basic authentication if configured on; returns whether it is.</summary>
    public static bool Map(WebApplication app)
    {
        var section = app.Configuration.GetSection("MarketSim:OperatorDashboard");
        if (!section.GetValue("Enabled", false)) return false;
        var password = section["Password"];
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
            throw new InvalidOperationException(
                $"MarketSim:OperatorDashboard:Enabled is true but MarketSim:OperatorDashboard:Password is {(string.IsNullOrEmpty(password) ? "not set" : "shorter than " + MinPasswordLength + " characters")}: " +
                "the Orleans dashboard is only served with a password (docs/SECURITY.md). Set one, or leave the dashboard off.");
        var expected = Encoding.UTF8.GetBytes($"{User}:{password}");
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(Prefix) && !Authorized(context.Request, expected))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"MarketSim operators\", charset=\"UTF-8\"";
                return;
            }
            await next();
        });
        app.MapOrleansDashboard(routePrefix: Prefix);
        return true;
    }

    static bool Authorized(HttpRequest request, byte[] expected)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null) return false;
        byte[] given;
        try { given = Convert.FromBase64String(header.Parameter); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
