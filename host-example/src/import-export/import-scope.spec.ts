import { verifyPassword } from '../passwords';
import { ImportScope, importedPasswordHash, inImportScope, LOCKED_PASSWORD } from './import-scope';

describe('ImportScope', () => {
  it('raises the announcements of kept rows in order after the rows, and drops those of rolled-back rows', async () => {
    const scope = new ImportScope();
    const raised: string[] = [];
    const say = (s: string) => async (): Promise<void> => void raised.push(s);
    scope.defer(say('row 1 a'));
    scope.defer(say('row 1 b'));
    scope.endRow(true);
    scope.defer(say('row 2'));
    scope.endRow(false);
    scope.defer(say('row 3'));
    scope.endRow(true);
    expect(raised).toEqual([]);
    await scope.flush();
    expect(raised).toEqual(['row 1 a', 'row 1 b', 'row 3']);
  });

  it('raises every announcement even when one fails, then throws the failure', async () => {
    const scope = new ImportScope();
    const raised: string[] = [];
    scope.defer(async () => Promise.reject(new Error('listener down')));
    scope.defer(async () => void raised.push('later'));
    scope.endRow(true);
    await expect(scope.flush()).rejects.toThrow('listener down');
    expect(raised).toEqual(['later']);
  });

  it('hashes imported passwords ahead, keeps exported hashes, and locks accounts whose password column is empty', async () => {
    const scope = new ImportScope();
    await scope.prehash(['password-one', 'password-one', 'short']);
    const hash = await inImportScope(scope, () => importedPasswordHash('password-one'));
    expect(await verifyPassword('password-one', hash)).toBe(true);
    expect(await importedPasswordHash(hash)).toBe(hash);
    expect(await importedPasswordHash('')).toBe(LOCKED_PASSWORD);
    expect(await verifyPassword('', LOCKED_PASSWORD)).toBe(false);
  });
});
