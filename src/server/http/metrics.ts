/**
 * Prometheus text exposition (https://prometheus.io/docs/instrumenting/exposition_formats/),
 * written by hand: request counts and a duration histogram by route and status, plus images by
 * result read from the store at scrape time.
 */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: string;
  count: number;
  sum: number;
  buckets: number[];
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export class HttpMetrics {
  private readonly series = new Map<string, Series>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = `method="${escapeLabel(method)}",route="${escapeLabel(route)}",status="${status}"`;
    let s = this.series.get(labels);
    if (!s) {
      s = { labels, count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
      this.series.set(labels, s);
    }
    s.count += 1;
    s.sum += seconds;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b && s) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    });
  }

  render(imagesByResult: Record<string, number>): string {
    const out = [
      '# HELP assay_http_requests_total HTTP requests by route and status.',
      '# TYPE assay_http_requests_total counter',
    ];
    for (const s of this.series.values()) out.push(`assay_http_requests_total{${s.labels}} ${s.count}`);
    out.push(
      '# HELP assay_http_request_duration_seconds HTTP request duration.',
      '# TYPE assay_http_request_duration_seconds histogram',
    );
    for (const s of this.series.values()) {
      for (const [i, b] of BUCKETS.entries())
        out.push(`assay_http_request_duration_seconds_bucket{${s.labels},le="${b}"} ${s.buckets[i]}`);
      out.push(`assay_http_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
      out.push(`assay_http_request_duration_seconds_sum{${s.labels}} ${s.sum}`);
      out.push(`assay_http_request_duration_seconds_count{${s.labels}} ${s.count}`);
    }
    out.push('# HELP assay_images Stored images by result.', '# TYPE assay_images gauge');
    for (const r of ['PASS', 'WARN', 'FAIL', 'UNKNOWN'])
      out.push(`assay_images{result="${r}"} ${imagesByResult[r] ?? 0}`);
    return `${out.join('\n')}\n`;
  }
}
