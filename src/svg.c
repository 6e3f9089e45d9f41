/*
 * svg.c: a small server-side SVG bar chart (see svg.h).
 */
#include <string.h>

#include <qrencode.h>

#include "svg.h"

#define SVG_PAD		8
#define SVG_FILL	"#1f5f99"
#define SVG_TEXT	"#222222"

static void
esc(struct buf *out, const char *s)
{
	if (s != NULL)
		buf_html(out, s, strlen(s));
}

long long
svg_bar_width(long long value, long long max)
{
	long long w;

	if (value <= 0 || max <= 0)
		return 0;
	if (value >= max)
		return SVG_BAR_W;
	/* Rounded; exact in 64 bits for any count a database holds. */
	w = (value * SVG_BAR_W * 2 + max) / (max * 2);
	return w < 1 ? 1 : w;
}

void
svg_bar_chart(struct buf *out, const char *title, const struct svg_bar *bars,
    size_t n)
{
	long long max = 0, v;
	size_t i;
	int width = SVG_LABEL_W + SVG_BAR_W + SVG_VALUE_W;
	int height = n == 0 ? 40 : (int)n * SVG_ROW_H + SVG_PAD * 2;
	int y;

	for (i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-size=\"14\" fill=\"" SVG_TEXT "\">"
	    "<title>", width, height, width, height);
	esc(out, title);
	buf_puts(out, "</title>");
	if (n == 0) {
		buf_printf(out, "<text x=\"%d\" y=\"25\">暂无数据</text></svg>",
		    SVG_PAD);
		return;
	}
	for (i = 0; i < n; i++) {
		v = bars[i].value < 0 ? 0 : bars[i].value;
		y = SVG_PAD + (int)i * SVG_ROW_H;
		buf_puts(out, "<g><title>");
		esc(out, bars[i].label);
		buf_printf(out, "：%lld</title>", v);
		buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    SVG_LABEL_W - SVG_PAD, y + 18);
		esc(out, bars[i].label);
		buf_printf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%lld\" "
		    "height=\"%d\" fill=\"" SVG_FILL "\"></rect>", SVG_LABEL_W,
		    y + 4, svg_bar_width(v, max), SVG_ROW_H - 8);
		buf_printf(out, "<text x=\"%lld\" y=\"%d\">%lld</text></g>",
		    SVG_LABEL_W + svg_bar_width(v, max) + 6, y + 18, v);
	}
	buf_puts(out, "</svg>");
}

int
svg_qr(struct buf *out, const char *text)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int x, y, w, q = 4;

	if (qr == NULL)
		return -1;
	w = qr->width + 2 * q;
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	    "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
	    "fill=\"#fff\"/><path fill=\"#000\" d=\"", w, w, w * 6, w * 6, w, w);
	for (y = 0; y < qr->width; y++)
		for (x = 0; x < qr->width; x++)
			if (qr->data[y * qr->width + x] & 1)
				buf_printf(out, "M%d %dh1v1h-1z", x + q, y + q);
	buf_puts(out, "\"/></svg>");
	QRcode_free(qr);
	return 0;
}
