export const DONOR_TYPES = ['business', 'party_member', 'individual', 'volunteer_team'] as const;
export type DonorType = (typeof DONOR_TYPES)[number];

export interface Donor {
  id: string;
  displayName: string;
  type: DonorType;
  /** Shown as "anonymous" on cards and thank-yous. */
  anonymous: boolean;
  telegramId?: number;
  language?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface DonorStore {
  get(id: string): Promise<Donor | null>;
  /** Creates the donor if missing; never overwrites what the donor chose. Returns the stored donor. */
  ensure(donor: Donor): Promise<Donor>;
  update(id: string, change: Partial<Pick<Donor, 'displayName' | 'type' | 'anonymous' | 'language'>>, at: Date): Promise<Donor | null>;
}

export function donorIdForTelegram(telegramId: number): string {
  return `tg:${telegramId}`;
}
