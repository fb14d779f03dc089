/**
 * Run by `bun` from libc.test.ts (bun:ffi exists only there): exercises every call of libc.ts and
 * netlink-read.ts and prints what it saw as one JSON line. argv: a scratch directory.
 */
import { query, showLink, startLinkDeletion, type CommandRunner } from '@cnikit/netops';
import { loadLibc, type ErrnoError } from '../../src/runtime/libc.js';
import { openNetlink } from '../../src/runtime/netns-spawn.js';

const dir = process.argv[2] ?? '/tmp';
const libc = await loadLibc();
if (libc === undefined) throw new Error('libc did not load');

const errorOf = (work: () => unknown): string | undefined => {
  try {
    work();
    return undefined;
  } catch (err) {
    return `${(err as ErrnoError).code} ${(err as Error).message}`;
  }
};

// Reads must go over netlink: a process would be a failure here.
const noProcess: CommandRunner = () => Promise.reject(new Error('a process was started'));
const overNetlink = (name: string) =>
  query(showLink(name), { runner: noProcess, netlink: openNetlink });

// A link read sent in the background (io_uring), then a deletion of a link that does not exist.
const conn = await openNetlink(undefined);
if (conn === undefined) throw new Error('no netlink socket');
const getLo = new Uint8Array([
  ...[40, 0, 0, 0, 18, 0, 1, 0, 9, 0, 0, 0, 0, 0, 0, 0], // nlmsghdr: RTM_GETLINK, NLM_F_REQUEST, seq 9
  ...[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], // ifinfomsg (index 0)
  ...[7, 0, 3, 0, 108, 111, 0, 0], // IFLA_IFNAME "lo"
]);
const later = conn.exchangeLater?.(getLo);
const loAnswer = later?.() ?? [];
let absentDeletion: string;
try {
  absentDeletion = startLinkDeletion(conn, 'cnikit-none0')();
} catch (err) {
  absentDeletion = (err as Error).message;
}
conn.close();

// A memory file written through another open of it, then read from its start.
const memfd = libc.memfd('probe');
libc.writeFile(`/proc/self/fd/${memfd}`, 'in memory');
const memfdText = new TextDecoder().decode(libc.readFromStart(memfd));
libc.close(memfd);

libc.writeFile(`${dir}/file`, 'written by write(2)');
const fd = libc.openRead(`${dir}/file`);
const idOfFd = libc.fileId(fd);
// Single reads at an offset of the buffer, then end of file.
const buffer = new Uint8Array(24).fill(0x2e);
const readCounts = [
  libc.read(fd, buffer, 3, 7),
  libc.read(fd, buffer, 10, 100),
  libc.read(fd, buffer, 0, 4),
];
libc.close(fd);

console.log(
  JSON.stringify({
    stdin: new TextDecoder().decode(libc.readFd(0)),
    readBack: libc.readFile(`${dir}/file`),
    readCounts,
    readBuffer: new TextDecoder().decode(buffer),
    badRead: errorOf(() => libc.read(fd, buffer, 0, 4)),
    sameId: idOfFd === libc.fileId(`${dir}/file`),
    otherId: libc.fileId(dir) === idOfFd,
    ownNetnsTwice: libc.fileId('/proc/self/ns/net') === libc.fileId('/proc/thread-self/ns/net'),
    procMagic: libc.statfsType('/proc').toString(16),
    regular: [`${dir}/file`, dir, `${dir}/missing`].map((p) => libc.isRegularFile(p)),
    missingRead: errorOf(() => libc.readFile(`${dir}/missing`)),
    missingStatfs: errorOf(() => libc.statfsType(`${dir}/missing`)),
    missingId: errorOf(() => libc.fileId(`${dir}/missing`)),
    lo: await overNetlink('lo'),
    absent: (await overNetlink('cnikit-none0')) ?? null,
    background: later !== undefined,
    // The type of the first message answering the background read (16: RTM_NEWLINK).
    backgroundAnswerType: loAnswer[0] ? new DataView(loAnswer[0].buffer).getUint16(4, true) : null,
    absentDeletion,
    memfdText,
  }),
);
