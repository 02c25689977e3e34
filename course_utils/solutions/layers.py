"""Solutions of notebook 1.4's exercises, and of 4.6's ``conv3d_forward``."""

import numpy as np


def zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)


def conv_single_step(a_slice_prev, W, b):
    return np.sum(a_slice_prev * W) + float(b[0, 0, 0])


def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            top = h * stride
            for w in range(n_W):
                left = w * stride
                a_slice_prev = A_prev_pad[i, top:top + f, left:left + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice_prev, W[..., c], b[..., c])
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H, n_W, n_C = dZ.shape
    f = W.shape[0]
    stride, pad = hparameters["stride"], hparameters["pad"]
    dA_prev_pad = zero_pad(np.zeros(A_prev.shape), pad)
    A_prev_pad = zero_pad(A_prev, pad)
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    for i in range(m):
        for h in range(n_H):
            top = h * stride
            for w in range(n_W):
                left = w * stride
                a_slice = A_prev_pad[i, top:top + f, left:left + f, :]
                for c in range(n_C):
                    dA_prev_pad[i, top:top + f, left:left + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    dA_prev = dA_prev_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :]
    return dA_prev, dW, db


def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            top = h * stride
            for w in range(n_W):
                left = w * stride
                window = A_prev[i, top:top + f, left:left + f, :]
                A[i, h, w, :] = window.max(axis=(0, 1)) if mode == "max" else window.mean(axis=(0, 1))
    cache = (A_prev, hparameters)
    return A, cache


def create_mask_from_window(x):
    return x == np.max(x)


def distribute_value(dz, shape):
    n_H, n_W = shape
    return np.ones(shape) * dz / (n_H * n_W)


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            top = h * stride
            for w in range(n_W):
                left = w * stride
                for c in range(n_C):
                    if mode == "max":
                        mask = create_mask_from_window(A_prev[i, top:top + f, left:left + f, c])
                        # one input produced the maximum: on a tie, the first True of the mask
                        row, col = np.unravel_index(np.argmax(mask), mask.shape)
                        dA_prev[i, top + row, left + col, c] += dA[i, h, w, c]
                    else:
                        dA_prev[i, top:top + f, left:left + f, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev


def conv3d_forward(A_prev, W, b, hparameters):
    m, n_D_prev, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, f, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_D, n_H, n_W = ((n + 2 * pad - f) // stride + 1 for n in (n_D_prev, n_H_prev, n_W_prev))
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((m, n_D, n_H, n_W, n_C))
    for i in range(m):
        for d in range(n_D):
            for h in range(n_H):
                for w in range(n_W):
                    volume = A_prev_pad[i, d * stride:d * stride + f, h * stride:h * stride + f,
                                        w * stride:w * stride + f, :]
                    for c in range(n_C):
                        Z[i, d, h, w, c] = np.sum(volume * W[..., c]) + b[0, 0, 0, 0, c]
    cache = (A_prev, W, b, hparameters)
    return Z, cache
