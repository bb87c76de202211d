/** JetStream advisories the dashboard listens to (dead letters, leader elections). */
export interface Advisory {
  /** e.g. "io.nats.jetstream.advisory.v1.max_deliver" */
  type: string;
  subject: string;
  stream: string | null;
  consumer: string | null;
  stream_seq: number | null;
  deliveries: number | null;
  leader: string | null;
  at: string;
}
