"""Looking inside Keras models: where does a network shrink its input?"""

from __future__ import annotations

__all__ = ["downsampling_layers"]


def downsampling_layers(model):
    """The layers of a model that reduce the spatial size of their input.

    Parameters
    ----------
    model : keras.Model
        A built model with 4-D (image) activations somewhere inside.

    Returns
    -------
    list of tuple
        ``(layer name, layer type, input height, output height)`` in model order, for every
        single-input layer whose output is smaller than its input.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}")
    rows = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer) or isinstance(layer.input, (list, tuple)):
            continue  # merge layers (Add, Concatenate) never shrink
        before, after = layer.input.shape, layer.output.shape
        if len(before) == 4 and len(after) == 4 and after[1] < before[1]:
            rows.append((layer.name, type(layer).__name__, before[1], after[1]))
    return rows
