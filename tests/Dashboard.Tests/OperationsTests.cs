namespace MarketSim.Dashboard.Tests;

/// <summary>What operators reach on the dashboard's HTTP port (issue 6, item 5): health, and the Orleans dashboard when configured (issue 11).</summary>
[Collection(DashboardCollection.Name)]
public sealed class OperationsTests(DashboardApp app)
{
    [Fact]
    public async Task Orleans_dashboard_when_configured_asks_for_the_operator_password_and_leaves_the_home_page_alone()
    {
        const string password = "correct horse battery";
        await using var factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Logging:LogLevel:Default", "Warning").UseSetting(MarketSim.Dashboard.Sessions.WarmUp.TicksKey, "0")
            .UseSetting("MarketSim:OperatorDashboard:Enabled", "true").UseSetting("MarketSim:OperatorDashboard:Password", password));
        using var http = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync("/orleans")).StatusCode);
        static System.Net.Http.Headers.AuthenticationHeaderValue Basic(string userPass) =>
            new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(userPass)));
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/orleans") { Headers = { Authorization = Basic("operator:guess") } })
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        // As a browser does after the 401: the credential on every request (redirects within /orleans included).
        http.DefaultRequestHeaders.Authorization = Basic("operator:" + password);
        var orleans = await http.GetAsync("/orleans/");
        Assert.True(orleans.StatusCode == System.Net.HttpStatusCode.OK, $"{orleans.StatusCode} {orleans.Headers}");
        Assert.Contains("<html", await orleans.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        var home = await http.GetAsync("/");
        Assert.Equal(System.Net.HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("MarketSim", await home.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthz_reports_the_cluster()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var health = await http.GetAsync("/healthz");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.StartsWith("ok:", await health.Content.ReadAsStringAsync());
    }
}
