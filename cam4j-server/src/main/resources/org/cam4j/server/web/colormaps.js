'use strict';
// The server's colour tables (cam4j-core render/Colormap), built by the same arithmetic so each
// entry is the very 0xRRGGBB the server uses. The API sends a map as table indices (one byte per
// pixel, min(floor(256 v), 255)), so colouring here is a table look-up and matches the server.

const COLORMAPS = (() => {
  const SIZE = 256;
  const ANCHOR_SPACING = 8;

  function interpolate(points, x) {
    for (let k = 1; k < points.length; k++) {
      if (x <= points[k][0]) {
        const t = (x - points[k - 1][0]) / (points[k][0] - points[k - 1][0]);
        return points[k - 1][1] + t * (points[k][1] - points[k - 1][1]);
      }
    }
    return points[points.length - 1][1];
  }

  const level = (c) => Math.round(255 * Math.max(0, Math.min(1, c)));

  // matplotlib segment data: per channel, (x, y) points of a piecewise-linear map
  function table(red, green, blue) {
    const lut = new Uint8Array(SIZE * 3);
    for (let i = 0; i < SIZE; i++) {
      const x = i / (SIZE - 1.0);
      lut[3 * i] = level(interpolate(red, x));
      lut[3 * i + 1] = level(interpolate(green, x));
      lut[3 * i + 2] = level(interpolate(blue, x));
    }
    return lut;
  }

  // entries interpolated between anchors at entries 0, 8, 16, ..., 248 and 255
  function anchored(anchors) {
    const lut = new Uint8Array(SIZE * 3);
    const mix = (a, b, t) => Math.round((a & 0xff) + t * ((b & 0xff) - (a & 0xff)));
    for (let i = 0; i < SIZE; i++) {
      const k = Math.min(Math.floor(i / ANCHOR_SPACING), anchors.length - 2);
      const from = k * ANCHOR_SPACING;
      const to = Math.min((k + 1) * ANCHOR_SPACING, SIZE - 1);
      const t = (i - from) / (to - from);
      const a = anchors[k];
      const b = anchors[k + 1];
      lut[3 * i] = mix(a >> 16, b >> 16, t);
      lut[3 * i + 1] = mix(a >> 8, b >> 8, t);
      lut[3 * i + 2] = mix(a, b, t);
    }
    return lut;
  }

  return {
    jet: table(
      [[0, 0], [0.35, 0], [0.66, 1], [0.89, 1], [1, 0.5]],
      [[0, 0], [0.125, 0], [0.375, 1], [0.64, 1], [0.91, 0], [1, 0]],
      [[0, 0.5], [0.11, 1], [0.34, 1], [0.65, 0], [1, 0]]),
    turbo: anchored([
      0x30123b, 0x392a73, 0x4040a2, 0x4456c7, 0x466be3, 0x4680f6, 0x4294ff, 0x37a8fa, 0x28bceb,
      0x1ccdd8, 0x18ddc2, 0x1fe9af, 0x32f298, 0x4ef97d, 0x6dfe62, 0x8bff4b, 0xa4fc3c, 0xb9f635,
      0xcdec34, 0xdfdf37, 0xeecf3a, 0xf8be39, 0xfdac34, 0xfe962b, 0xfb7e21, 0xf46617, 0xeb500e,
      0xdf3f08, 0xd02f05, 0xbe2102, 0xa91601, 0x920b01, 0x7a0403]),
    viridis: anchored([
      0x440154, 0x470d60, 0x48186a, 0x482374, 0x472d7b, 0x453781, 0x424086, 0x3e4989, 0x3b528b,
      0x375b8d, 0x33638d, 0x2f6b8e, 0x2c728e, 0x297a8e, 0x26828e, 0x23898e, 0x21918c, 0x1f988b,
      0x1fa088, 0x22a785, 0x28ae80, 0x32b67a, 0x3fbc73, 0x4ec36b, 0x5ec962, 0x70cf57, 0x84d44b,
      0x98d83e, 0xaddc30, 0xc2df23, 0xd8e219, 0xece51b, 0xfde725]),
    inferno: anchored([
      0x000004, 0x040312, 0x0b0724, 0x150b37, 0x210c4a, 0x2f0a5b, 0x3d0965, 0x4a0c6b, 0x57106e,
      0x64156e, 0x71196e, 0x7d1e6d, 0x8a226a, 0x972766, 0xa32c61, 0xb0315b, 0xbc3754, 0xc73e4c,
      0xd24644, 0xdb503b, 0xe45a31, 0xeb6628, 0xf1731d, 0xf68013, 0xf98e09, 0xfb9d07, 0xfcac11,
      0xfbbc21, 0xf9cb35, 0xf5db4c, 0xf2ea69, 0xf3f68a, 0xfcffa4]),
    gray: table([[0, 0], [1, 1]], [[0, 0], [1, 1]], [[0, 0], [1, 1]]),
  };
})();
