using Dapper;
using Infera.Storage.Sqlite;

namespace Infera.Storage.Stores;

/// <summary>
/// The instance processes this server started, recorded so that a server that was killed can find and
/// stop what it left behind on its next start.
/// </summary>
public sealed class InstanceStore(InferaDatabase database)
{
    /// <summary>An instance row.</summary>
    /// <param name="Id">Instance id.</param>
    /// <param name="ServiceId">Service it belongs to.</param>
    /// <param name="ModelId">Model version it runs.</param>
    /// <param name="Pid">OS process id.</param>
    /// <param name="Port">Loopback port it listens on.</param>
    /// <param name="StartedAt">Start time, ms.</param>
    public sealed record InstanceRow(string Id, string ServiceId, string ModelId, long Pid, long Port, long StartedAt);

    /// <summary>Records a started instance.</summary>
    public void Insert(InstanceRow row)
    {
        using var c = database.Open();
        c.Execute("INSERT OR REPLACE INTO instances (id, service_id, model_id, pid, port, started_at) VALUES (@Id, @ServiceId, @ModelId, @Pid, @Port, @StartedAt)", row);
    }

    /// <summary>Forgets an instance.</summary>
    public void Delete(string id)
    {
        using var c = database.Open();
        c.Execute("DELETE FROM instances WHERE id = @id", new { id });
    }

    /// <summary>Every recorded instance.</summary>
    public IReadOnlyList<InstanceRow> ListAll()
    {
        using var c = database.Open();
        return c.Query<InstanceRow>("SELECT id AS Id, service_id AS ServiceId, model_id AS ModelId, pid AS Pid, port AS Port, started_at AS StartedAt FROM instances").AsList();
    }
}
