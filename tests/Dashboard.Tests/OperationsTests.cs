namespace MarketSim.Dashboard.Tests;

/// <summary>What operators reach on the dashboard's HTTP port (issue 6, item 5): health and the Orleans dashboard.</summary>
[Collection(DashboardCollection.Name)]
public sealed class OperationsTests(DashboardApp app)
{
    [Fact]
    public async Task Orleans_dashboard_answers_under_its_prefix_and_leaves_the_home_page_alone()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        var orleans = await http.GetAsync("/orleans");
        Assert.Equal(System.Net.HttpStatusCode.OK, orleans.StatusCode);
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
