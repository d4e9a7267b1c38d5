#!/usr/bin/env python3
"""Partner of the side-by-side benchmark (src/test/java/org/lesionweighting/bench/KerasComparisonBenchmark.java).

Builds the suite's 3D U-Net (UNet3D.java, the method's section 3.1; structure from the UNetConfig JSON the benchmark
passes) layer for layer in Keras on TensorFlow for Python, or a single Conv3D op, and times one round per request,
so that the Java side can interleave its own rounds (suite, Keras, Keras, suite...) in one run.

Protocol on stdin/stdout, one line each:
  -> "params N"   trainable parameters of the built network (0 for a single op), then "ready"
  <- "round"      runs one timed call, answers "seconds S"
  <- "quit"       exits

For benchmarks only; the suite never needs Python at run time. Needs numpy and tensorflow-cpu (Keras 3).
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402


def interpolation_matrix(n):
    """W[i][j] = max(0, 1 - |i (n-1)/(2n-1) - j|): linear x2 up-sampling with aligned corners (Resampling.java)."""
    i = np.arange(2 * n, dtype=np.float64)
    src = i * (n - 1) / (2 * n - 1)
    return np.maximum(0.0, 1.0 - np.abs(src[:, None] - np.arange(n)[None, :])).astype(np.float32)


class UpsampleTrilinear2x(keras.layers.Layer):
    """Trilinear x2 up-sampling with aligned corners as three matrix products, the suite's Resampling."""

    def call(self, x):
        t = tf.transpose(x, [1, 2, 3, 0, 4])
        t = self._first_axis(t)
        t = tf.transpose(t, [1, 2, 3, 4, 0])
        t = self._first_axis(t)
        t = tf.transpose(t, [1, 2, 3, 4, 0])
        t = self._first_axis(t)
        return tf.transpose(t, [1, 3, 4, 0, 2])

    @staticmethod
    def _first_axis(t):
        n = t.shape[0]
        rest = tf.shape(t)[1:]
        up = tf.matmul(tf.constant(interpolation_matrix(n)), tf.reshape(t, [n, -1]))
        return tf.reshape(up, tf.concat([[2 * n], rest], 0))


class ScaleShift(keras.layers.Layer):
    """Learnable per-channel scale and shift: the logits' normalisation of the suite's 'none'."""

    def build(self, shape):
        self.gamma = self.add_weight(shape=(shape[-1],), initializer="ones")
        self.beta = self.add_weight(shape=(shape[-1],), initializer="zeros")

    def call(self, x):
        return x * self.gamma + self.beta


def normalize(x, config, logits):
    kind = config["normalization"]
    if kind == "batch":
        # Keras momentum is the suite's 1 - momentum (torch convention)
        return keras.layers.BatchNormalization(momentum=1 - config["momentum"], epsilon=config["epsilon"])(x)
    if kind == "instance":
        return keras.layers.GroupNormalization(groups=x.shape[-1], epsilon=config["epsilon"])(x)
    return ScaleShift()(x) if logits else x


def conv(x, out, k, bias):
    return keras.layers.Conv3D(out, k, padding="same", use_bias=bias)(x)


def pre_act(x, config, out, k, bias):
    return conv(keras.layers.ReLU()(normalize(x, config, False)), out, k, bias)


def res_block(x, config, out, k):
    y = pre_act(x, config, out, k, False)
    y = pre_act(y, config, out, k, False)
    shortcut = x if x.shape[-1] == out else conv(x, out, 1, False)
    return keras.layers.Add()([y, shortcut])


def unet(config, batch, size):
    """The residual U-Net of UNet3D.java from its UNetConfig map."""
    w = config["widths"]
    levels = len(w) - 1
    image = keras.Input(shape=(size, size, size, config["input_channels"]), batch_size=batch)
    x = conv(image, w[0], 3, False)
    x = pre_act(x, config, w[0], 3, True)
    skips = []
    for level in range(levels):
        x = res_block(x, config, w[level], 3)
        x = res_block(x, config, w[level], 3)
        skips.append(pre_act(x, config, w[level], 1, True))
        x = keras.layers.MaxPooling3D(2)(x)
    x = res_block(x, config, w[levels], 3)
    x = res_block(x, config, w[levels], 3)
    x = res_block(x, config, w[levels - 1], 3)
    for level in range(levels - 1, -1, -1):
        x = keras.layers.Add()([skips[level], UpsampleTrilinear2x()(x)])
        x = res_block(x, config, w[level], 3)
        x = res_block(x, config, w[0] if level == 0 else w[level - 1], 3)
    x = res_block(x, config, w[0], 1)
    x = pre_act(x, config, 1, 1, False)
    return keras.Model(image, normalize(x, config, True))


def weighted_dice(logits, targets, weights):
    """The suite's Dice loss: mean over the batch of 1 - 2 sum(w p t) / sum(w (p^2 + t^2))."""
    p = tf.sigmoid(logits)
    axes = [1, 2, 3, 4]
    num = 2 * tf.reduce_sum(weights * p * targets, axes)
    den = tf.reduce_sum(weights * (p * p + targets * targets), axes)
    return tf.reduce_mean(1 - num / den)


def network_call(args):
    config = json.loads(args.config)
    model = unet(config, args.batch, args.size)
    params = sum(int(np.prod(v.shape)) for v in model.trainable_variables)
    rng = np.random.default_rng(1)
    shape = (args.batch, args.size, args.size, args.size, config["input_channels"])
    x = tf.constant(rng.standard_normal(shape, dtype=np.float32))
    if args.task == "forward":
        forward = tf.function(lambda v: model(v, training=False))
        return params, lambda: forward(x).numpy()
    target_shape = shape[:-1] + (1,)
    y = tf.constant((rng.random(target_shape) < 0.05).astype(np.float32))
    w = tf.constant(rng.random(target_shape, dtype=np.float32) + 0.5)
    optimizer = keras.optimizers.SGD(learning_rate=1e-2, momentum=0.9, nesterov=True)

    @tf.function
    def step(images, targets, weights):
        with tf.GradientTape() as tape:
            loss = weighted_dice(model(images, training=True), targets, weights)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    return params, lambda: step(x, y, w).numpy()


def conv_call(args):
    """One Conv3D op (3^3, stride 1, 'SAME', NDHWC) or one of its backprops on the suite's shapes."""
    rng = np.random.default_rng(1)
    c = args.channels
    shape = (args.batch, args.size, args.size, args.size, c)
    x = tf.constant(rng.standard_normal(shape, dtype=np.float32))
    k = tf.constant(rng.standard_normal((3, 3, 3, c, c), dtype=np.float32) * np.float32(0.1))
    dy = tf.constant(rng.standard_normal(shape, dtype=np.float32))
    strides = [1, 1, 1, 1, 1]
    # the tensors are arguments, not captured constants that grappler could fold
    if args.task == "conv-forward":
        f = tf.function(lambda a, b, c: tf.reduce_sum(tf.nn.conv3d(a, b, strides, "SAME")))
    elif args.task == "conv-input":
        f = tf.function(lambda a, b, c: tf.reduce_sum(tf.raw_ops.Conv3DBackpropInputV2(input_sizes=tf.shape(a), filter=b, out_backprop=c, strides=strides, padding="SAME")))
    else:
        f = tf.function(lambda a, b, c: tf.reduce_sum(tf.raw_ops.Conv3DBackpropFilterV2(input=a, filter_sizes=tf.shape(b), out_backprop=c, strides=strides, padding="SAME")))
    return 0, lambda: f(x, k, dy).numpy()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", required=True, choices=["train", "forward", "conv-forward", "conv-input", "conv-filter"])
    parser.add_argument("--config", help="UNetConfig.toMap() as JSON (train, forward)")
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--channels", type=int, default=8, help="input and output channels (conv tasks)")
    parser.add_argument("--threads", type=int, help="intra- and inter-op threads (default: TensorFlow's)")
    args = parser.parse_args()
    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    params, call = conv_call(args) if args.task.startswith("conv") else network_call(args)
    call()  # trace and warm up
    print("params", params, flush=True)
    print("ready", flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            break
        if command != "round":
            print("error unknown command", command, flush=True)
            continue
        t0 = time.perf_counter()
        call()
        print("seconds", time.perf_counter() - t0, flush=True)


if __name__ == "__main__":
    main()
