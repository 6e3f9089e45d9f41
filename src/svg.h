/*
 * svg.h: charts drawn by the server as inline SVG (no JavaScript). Every
 * text the caller passes is HTML-escaped here, so the result may be put
 * in a page with {{{chart}}}: it is HTML the program built itself.
 */
#ifndef ZIZHI_SVG_H
#define ZIZHI_SVG_H

#include <stddef.h>

#include "util.h"

struct svg_bar {
	const char	*label;		/* any text; escaped */
	long long	 value;		/* >= 0; a negative value counts as 0 */
};

/* Geometry of svg_bar_chart, in SVG user units. */
#define SVG_LABEL_W	150	/* the label column */
#define SVG_BAR_W	400	/* the longest bar */
#define SVG_VALUE_W	90	/* the value column */
#define SVG_ROW_H	26

/*
 * Appends a horizontal bar chart to out: one row per bar (label, bar,
 * value), the longest bar SVG_BAR_W wide and the others in proportion
 * (rounded to the nearest unit; a non-zero value is at least 1 wide).
 * title names the chart for screen readers (<title>, role="img"). With no
 * bars, the chart says 暂无数据.
 */
void	svg_bar_chart(struct buf *out, const char *title,
	    const struct svg_bar *bars, size_t n);

/* The width of the bar for value when the largest value is max. */
long long svg_bar_width(long long value, long long max);

/* The QR code of text (8-bit mode, level M, a 4-module quiet zone) as
 * an SVG image of black squares on white, 6 px a module. 0, or -1 when
 * text does not fit a QR code. */
int	svg_qr(struct buf *out, const char *text);

#endif
