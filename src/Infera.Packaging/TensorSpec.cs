using System.Globalization;
using System.Text.Json.Nodes;

namespace Infera.Packaging;

/// <summary>
/// One input or output tensor of a model in Open Inference Protocol (KServe v2) terms: the shape of the
/// <c>inputs</c>/<c>outputs</c> items of config.json for ONNX models, of the v2 model metadata and of model details.
/// </summary>
/// <param name="Name">The tensor name as the model declares it.</param>
/// <param name="Datatype">
/// The OIP datatype: <c>BOOL</c>, <c>UINT8</c>, <c>UINT16</c>, <c>UINT32</c>, <c>UINT64</c>, <c>INT8</c>, <c>INT16</c>,
/// <c>INT32</c>, <c>INT64</c>, <c>FP16</c>, <c>FP32</c>, <c>FP64</c> or <c>BYTES</c> (see <see cref="OnnxEngine.Datatypes"/>).
/// </param>
/// <param name="Shape">The dimensions; <c>-1</c> marks a dynamic (symbolic) dimension.</param>
public sealed record TensorSpec(string Name, string Datatype, IReadOnlyList<long> Shape)
{
    /// <summary>Whether the first dimension is dynamic, so that several requests can be stacked along it.</summary>
    public bool HasDynamicBatch => Shape.Count >= 1 && Shape[0] == -1;

    /// <summary>
    /// The shape of one row (one sample): the shape without its first dimension when that dimension is dynamic or 1,
    /// else the whole shape (a model without a batch axis takes one sample per run).
    /// </summary>
    public IReadOnlyList<long> RowShape => Shape.Count >= 1 && Shape[0] is -1 or 1 ? [.. Shape.Skip(1)] : Shape;

    /// <summary>The number of elements in one row, or null when a dimension of the row is dynamic.</summary>
    public long? RowElementCount
    {
        get
        {
            long count = 1;
            foreach (var dimension in RowShape)
            {
                if (dimension < 0)
                {
                    return null;
                }

                count *= dimension;
            }

            return count;
        }
    }

    /// <summary>The tensors as the protocol, config.json and model details write them: <c>[{"name", "datatype", "shape"}]</c>.</summary>
    /// <param name="tensors">The tensors.</param>
    /// <returns>A new JSON array.</returns>
    public static JsonArray ToJson(IReadOnlyList<TensorSpec> tensors) =>
    [
        .. tensors.Select(t => (JsonNode?)new JsonObject
        {
            ["name"] = t.Name,
            ["datatype"] = t.Datatype,
            ["shape"] = new JsonArray([.. t.Shape.Select(d => (JsonNode?)d)]),
        }),
    ];

    /// <summary>E.g. <c>input FP32 [-1,4]</c>, for messages.</summary>
    public string Describe() => $"{Name} {Datatype} [{string.Join(",", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))}]";
}
