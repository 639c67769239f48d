using Infera.Onnx.Tensors;

namespace Infera.Onnx.Batching;

/// <summary>
/// Stacks the inputs of several requests along the first (batch) dimension and splits a run's outputs back into
/// each request's rows. Pure: buffers in, new buffers out.
/// </summary>
public static class BatchAssembler
{
    /// <summary>Whether two requests' inputs can share a run: same count, and per input the same type and row shape.</summary>
    /// <param name="a">One request's inputs in model order.</param>
    /// <param name="b">Another's.</param>
    /// <returns>True when <see cref="Stack"/> can combine them.</returns>
    public static bool Compatible(IReadOnlyList<Tensor> a, IReadOnlyList<Tensor> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Datatype != b[i].Datatype || a[i].Shape.Length != b[i].Shape.Length || a[i].Shape.Length == 0
                || !a[i].Shape.AsSpan(1).SequenceEqual(b[i].Shape.AsSpan(1)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Concatenates each input over the requests along the first dimension, in request order.</summary>
    /// <param name="requests">Each request's inputs in model order; all <see cref="Compatible"/>.</param>
    /// <returns>One tensor per input whose first dimension is the sum of the requests'.</returns>
    public static Tensor[] Stack(IReadOnlyList<IReadOnlyList<Tensor>> requests)
    {
        if (requests.Count == 1)
        {
            return [.. requests[0]];
        }

        var first = requests[0];
        var stacked = new Tensor[first.Count];
        for (var i = 0; i < first.Count; i++)
        {
            var rows = 0L;
            foreach (var request in requests)
            {
                rows += request[i].Shape[0];
            }

            var shape = (long[])first[i].Shape.Clone();
            shape[0] = rows;
            if (first[i].Datatype == TensorDatatype.Bytes)
            {
                stacked[i] = Tensor.FromStrings(first[i].Name, shape, [.. requests.SelectMany(r => r[i].Strings!)]);
                continue;
            }

            var data = new byte[requests.Sum(r => r[i].Data.LongLength)];
            var offset = 0;
            foreach (var request in requests)
            {
                request[i].Data.CopyTo(data, offset);
                offset += request[i].Data.Length;
            }

            stacked[i] = Tensor.FromRaw(first[i].Name, first[i].Datatype, shape, data);
        }

        return stacked;
    }

    /// <summary>Splits each output along the first dimension into consecutive parts of <paramref name="rows"/> rows.</summary>
    /// <param name="outputs">One run's outputs.</param>
    /// <param name="rows">The rows of each request, in the order they were stacked.</param>
    /// <returns>Per request, its outputs in the same order.</returns>
    /// <exception cref="InvalidOperationException">An output's first dimension is not the total of the rows.</exception>
    public static Tensor[][] Split(IReadOnlyList<Tensor> outputs, IReadOnlyList<long> rows)
    {
        var total = rows.Sum();
        var parts = new Tensor[rows.Count][];
        for (var r = 0; r < rows.Count; r++)
        {
            parts[r] = new Tensor[outputs.Count];
        }

        for (var o = 0; o < outputs.Count; o++)
        {
            var output = outputs[o];
            if (output.Shape.Length == 0 || output.Shape[0] != total)
            {
                throw new InvalidOperationException(
                    $"Output {output.Name} has shape [{string.Join(",", output.Shape)}]; a batched run of {total} rows must give {total} rows.");
            }

            if (rows.Count == 1)
            {
                parts[0][o] = output;
                continue;
            }

            var perRow = total == 0 ? 0 : output.ElementCount / total;
            var start = 0L;
            for (var r = 0; r < rows.Count; r++)
            {
                var shape = (long[])output.Shape.Clone();
                shape[0] = rows[r];
                var count = perRow * rows[r];
                if (output.Datatype == TensorDatatype.Bytes)
                {
                    parts[r][o] = Tensor.FromStrings(output.Name, shape, output.Strings!.AsSpan((int)start, (int)count).ToArray());
                }
                else
                {
                    var size = output.Datatype.ElementSize();
                    parts[r][o] = Tensor.FromRaw(output.Name, output.Datatype, shape, output.Data.AsSpan((int)(start * size), (int)(count * size)).ToArray());
                }

                start += count;
            }
        }

        return parts;
    }
}
