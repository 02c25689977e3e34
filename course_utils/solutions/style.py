"""Solutions of notebooks 4.5 and 4.7's exercises: the costs of neural style transfer and one step of it."""

import tensorflow as tf


def compute_content_cost(a_C, a_G):
    _, n_H, n_W, n_C = a_G.shape
    return tf.reduce_sum(tf.square(a_C - a_G)) / (4.0 * n_H * n_W * n_C)


def gram_matrix(A):
    return tf.matmul(A, tf.transpose(A))


def compute_layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    a_S = tf.transpose(tf.reshape(a_S, [n_H * n_W, n_C]))
    a_G = tf.transpose(tf.reshape(a_G, [n_H * n_W, n_C]))
    GS, GG = gram_matrix(a_S), gram_matrix(a_G)
    return tf.reduce_sum(tf.square(GS - GG)) / (4.0 * n_C ** 2 * (n_H * n_W) ** 2)


def compute_style_cost(style_outputs, generated_outputs, style_layers):
    J_style = 0.0
    for (_, weight), a_S, a_G in zip(style_layers, style_outputs, generated_outputs, strict=True):
        J_style += weight * compute_layer_style_cost(a_S, a_G)
    return J_style


def total_cost(J_content, J_style, alpha=10, beta=40):
    return alpha * J_content + beta * J_style


@tf.function
def train_step(generated_image, extractor, a_C, a_S, optimizer, alpha=10, beta=40):
    with tf.GradientTape() as tape:
        a_G = extractor(generated_image)
        J_content = compute_content_cost(a_C, a_G[-1])
        J_style = compute_style_cost(a_S, a_G[:-1], extractor.style_layers)
        J = total_cost(J_content, J_style, alpha, beta)
    grad = tape.gradient(J, generated_image)
    optimizer.apply_gradients([(grad, generated_image)])
    generated_image.assign(tf.clip_by_value(generated_image, 0.0, 1.0))
    return J
